using System;
using System.Collections.Generic;
using Microsoft.Extensions.Configuration;

namespace PoolGen.Hosting;

/// <summary>Binds <see cref="PoolOptions"/> from configuration strictly: a typo or a bad value is an error, not a silent default.</summary>
internal static class PoolOptionsBinder
{
    public static void Bind(IConfiguration section, PoolOptions options)
    {
        string path = section is IConfigurationSection named ? named.Path : "(configuration)";
        try
        {
            section.Bind(options, binder => binder.ErrorOnUnknownConfiguration = true);
        }
        catch (InvalidOperationException error)
        {
            throw new InvalidOperationException(
                $"Pool '{options.Name}': configuration section '{path}' cannot be applied to its options. {Causes(error)} " +
                $"Each key of the section must name a PoolOptions property (Min, Max, AcquireTimeoutMs, ...) with a value of its type.",
                error);
        }
    }

    // The binder wraps a bad value in "binding has failed. The likely cause is an invalid configuration value", which
    // names neither the key nor the value; the exceptions inside it do ("... 'db1:port' at 'Pools:Orders:Endpoints:0' ...").
    private static string Causes(Exception error)
    {
        var causes = new List<string>();
        for (Exception? cause = error; cause is not null; cause = cause.InnerException)
        {
            if (cause.InnerException is null || !cause.Message.Contains("binding has failed", StringComparison.Ordinal))
            {
                causes.Add(cause.Message.TrimEnd('.') + ".");
            }
        }

        return string.Join(" ", causes);
    }
}
