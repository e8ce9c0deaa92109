using System;
using System.Threading;
using System.Threading.Tasks;

namespace PoolGen.Sample;

/// <summary>
/// Runs a concurrent orders workload against SQLite (or PostgreSQL with <c>--postgres</c>) through PoolGen pools and
/// shows what the pool does. Exit codes: 0 success, 1 the run failed, 2 bad arguments.
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (!SampleArguments.TryParse(args, out SampleArguments? arguments, out string? error))
        {
            Console.Error.WriteLine($"error: {error}");
            Console.Error.WriteLine(SampleArguments.Usage);
            return 2;
        }

        if (arguments.ShowHelp)
        {
            Console.WriteLine(SampleArguments.Usage);
            return 0;
        }

        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };

        try
        {
            return await SampleRun.RunAsync(arguments, stop.Token);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            Console.Error.WriteLine("Stopped before the workload started.");
            return 1;
        }
        catch (Exception exception)
        {
            Console.Error.WriteLine($"error: the sample failed: {Describe(exception)}");
            Console.Error.WriteLine();
            Console.Error.WriteLine(exception);
            return 1;
        }
    }

    /// <summary>The exception's message followed by its causes', on one line.</summary>
    private static string Describe(Exception exception)
    {
        string text = $"{exception.GetType().Name}: {exception.Message}";
        for (Exception? cause = exception.InnerException; cause is not null; cause = cause.InnerException)
        {
            text += $" <- {cause.GetType().Name}: {cause.Message}";
        }

        return text;
    }
}
