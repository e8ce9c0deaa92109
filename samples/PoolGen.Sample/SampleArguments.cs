using System;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace PoolGen.Sample;

/// <summary>
/// The sample's command line: <c>[--seconds N] [--workers N] [--overload] [--postgres "connection string"]
/// [--replica "primary connection string" "standby connection string"]</c>.
/// </summary>
/// <param name="Seconds">How long the workload runs.</param>
/// <param name="Workers">How many workers run it concurrently.</param>
/// <param name="Postgres">A PostgreSQL connection string, or null to use a fresh SQLite file.</param>
/// <param name="Overload">Whether to overload the pool on purpose, to show priorities, load shedding and auto-sizing.</param>
/// <param name="ShowHelp">Whether <c>--help</c> was given.</param>
/// <param name="Replica">With <c>--replica</c>: the primary's and the standby's connection strings; else null.</param>
internal sealed record SampleArguments(
    int Seconds, int Workers, string? Postgres, bool Overload, bool ShowHelp, (string Primary, string Standby)? Replica = null)
{
    public const string Usage =
        """
        Usage: dotnet run --project samples/PoolGen.Sample -- [options]

          --seconds N            how long the workload runs (default 5)
          --workers N            concurrent workers (default 32; 128 with --overload)
          --overload             far more load than the pool can serve in time: rents with priorities (10% High
                                 checkouts, 30% Low reports), short deadlines, and a pool that sizes itself (AutoSize)
                                 and refuses at once what it cannot serve in time (ShedLoad)
          --postgres "CONN"      run against PostgreSQL instead of a temporary SQLite file; the sample creates and
                                 drops tables of its own, and adds Pooling=false unless CONN says otherwise
          --replica "PRIMARY" "STANDBY"
                                 run against a PostgreSQL primary and a streaming standby through one multi-host pool:
                                 writes go to the primary, reads to the standby (the primary when the standby is down);
                                 the sample starts no server, it connects to the two it is given
          --help                 show this text
        """;

    public static bool TryParse(string[] args, [NotNullWhen(true)] out SampleArguments? parsed, [NotNullWhen(false)] out string? error)
    {
        int seconds = 5, workers = 0;
        string? postgres = null;
        (string, string)? replica = null;
        bool help = false, overload = false;
        parsed = null;
        error = null;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--seconds" when TryPositive(args, ref i, out seconds):
                case "--workers" when TryPositive(args, ref i, out workers):
                    break;
                case "--postgres" when i + 1 < args.Length && !string.IsNullOrWhiteSpace(args[i + 1]):
                    postgres = args[++i];
                    break;
                case "--overload":
                    overload = true;
                    break;
                case "--replica" when i + 2 < args.Length && !string.IsNullOrWhiteSpace(args[i + 1]) && !string.IsNullOrWhiteSpace(args[i + 2]):
                    replica = (args[i + 1], args[i + 2]);
                    i += 2;
                    break;
                case "--help" or "-h" or "-?":
                    help = true;
                    break;
                case "--seconds" or "--workers":
                    error = $"{args[i]} needs a whole number of at least 1.";
                    return false;
                case "--postgres":
                    error = "--postgres needs a connection string, e.g. --postgres \"Host=localhost;Username=postgres;Database=postgres\".";
                    return false;
                case "--replica":
                    error = "--replica needs two connection strings, the primary's and the standby's, e.g. " +
                            "--replica \"Host=db1;Username=postgres;Database=postgres\" \"Host=db2;Username=postgres;Database=postgres\".";
                    return false;
                default:
                    error = $"Unknown option '{args[i]}'.";
                    return false;
            }
        }

        if (postgres is not null && replica is not null)
        {
            error = "--postgres and --replica do not go together: give one server with --postgres, or a primary and a standby with --replica.";
            return false;
        }

        workers = workers != 0 ? workers : overload ? Workload.OverloadSettings.Workers : 32;
        parsed = new SampleArguments(seconds, workers, postgres, overload, help, replica);
        return true;
    }

    private static bool TryPositive(string[] args, ref int i, out int value)
    {
        if (i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= 1)
        {
            i++;
            return true;
        }

        value = 0;
        return false;
    }
}
