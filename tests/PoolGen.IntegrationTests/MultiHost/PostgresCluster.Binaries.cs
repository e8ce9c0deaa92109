using System.Text;
using PoolGen.IntegrationTests.Infrastructure;

namespace PoolGen.IntegrationTests.Postgres;

// What the replica fixture borrows from the single-server fixture, so both find and run the server binaries the same way.
public sealed partial class PostgresCluster
{
    /// <summary>initdb and pg_ctl of the highest installed PostgreSQL; nulls when none is installed. Tried places go to <paramref name="log"/>.</summary>
    internal static Task<(string? InitDb, string? PgCtl)> LocateBinariesAsync(StringBuilder log) => FindBinariesAsync(log);

    /// <summary>A loopback port free a moment ago.</summary>
    internal static int PickFreeLoopbackPort() => FreeLoopbackPort();

    /// <summary>Runs a command, as the postgres user when <paramref name="asPostgres"/> (initdb refuses root).</summary>
    internal static Task<ProcessResult> RunCommandAsync(string fileName, string[] arguments, bool asPostgres) =>
        RunAsync(fileName, arguments, asPostgres);

    /// <summary>The exception every PostgreSQL test fails with when no server can be started, with the ways to fix it.</summary>
    internal static InvalidOperationException NoServer(string what, StringBuilder log) => Unavailable(what, log);
}
