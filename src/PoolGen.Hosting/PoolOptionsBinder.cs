using System;
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
                $"Pool '{options.Name}': configuration section '{path}' cannot be applied to its options. {error.Message} " +
                $"Each key of the section must name a PoolOptions property (Min, Max, AcquireTimeoutMs, ...) with a value of its type.",
                error);
        }
    }
}
