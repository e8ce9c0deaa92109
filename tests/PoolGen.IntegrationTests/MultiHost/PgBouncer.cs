using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using PoolGen.IntegrationTests.Infrastructure;
using PoolGen.IntegrationTests.Postgres;

namespace PoolGen.IntegrationTests.MultiHost;

/// <summary>
/// A PgBouncer in transaction-pooling mode in front of one PostgreSQL server, started from the installed binary as the
/// postgres user (PgBouncer refuses root) on a free loopback port, killed on dispose. Without the binary it throws
/// with the command that installs it, so the test fails saying how to fix it.
/// </summary>
public sealed class PgBouncer : IAsyncDisposable
{
    private readonly TempDirectory _directory;
    private readonly Process _process;

    private PgBouncer(TempDirectory directory, Process process, int port)
    {
        _directory = directory;
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public PoolEndpoint Endpoint => new("127.0.0.1", Port, "pgbouncer");

    /// <summary>Starts PgBouncer with <paramref name="serverPoolSize"/> server connections for database <c>postgres</c> of the target.</summary>
    public static async Task<PgBouncer> StartAsync(int targetPort, int serverPoolSize)
    {
        string? binary = new[] { "/usr/sbin/pgbouncer", "/usr/bin/pgbouncer" }.FirstOrDefault(File.Exists);
        if (binary is null)
        {
            throw new InvalidOperationException(
                "PgBouncer is not installed, and the PgBouncer test needs it. Install it (Debian/Ubuntu, as root: " +
                "'apt-get update && apt-get install -y pgbouncer'; .ci/run does this when it is absent).");
        }

        var directory = new TempDirectory("poolgen-bouncer");
        bool asPostgres = Environment.UserName == "root";
        if (asPostgres)
        {
            ProcessResult chown = await PostgresCluster.RunCommandAsync("chown", ["postgres:postgres", directory.Path], asPostgres: false);
            if (!chown.Succeeded)
            {
                directory.Dispose();
                throw new InvalidOperationException($"The PgBouncer folder could not be given to the postgres user.{Environment.NewLine}{chown.Describe()}");
            }
        }

        int port = PostgresCluster.PickFreeLoopbackPort();
        string ini = directory.Combine("pgbouncer.ini");
        await File.WriteAllTextAsync(directory.Combine("userlist.txt"), "\"postgres\" \"\"\n");
        await File.WriteAllTextAsync(ini, $"""
            [databases]
            postgres = host=127.0.0.1 port={targetPort} dbname=postgres

            [pgbouncer]
            listen_addr = 127.0.0.1
            listen_port = {port}
            unix_socket_dir =
            auth_type = trust
            auth_file = {directory.Combine("userlist.txt")}
            pool_mode = transaction
            default_pool_size = {serverPoolSize}
            min_pool_size = 0
            max_client_conn = 200
            admin_users = postgres
            ignore_startup_parameters = extra_float_digits,search_path
            logfile = {directory.Combine("pgbouncer.log")}
            """);
        if (asPostgres)
        {
            await PostgresCluster.RunCommandAsync("chown", ["-R", "postgres:postgres", directory.Path], asPostgres: false);
        }

        var start = new ProcessStartInfo(asPostgres ? "runuser" : binary) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string argument in asPostgres ? ["-u", "postgres", "--", binary, ini] : new[] { ini })
        {
            start.ArgumentList.Add(argument);
        }

        Process process = Process.Start(start)!;
        var bouncer = new PgBouncer(directory, process, port);
        DateTime deadline = DateTime.UtcNow.AddSeconds(15);
        while (!await AcceptsAsync(port))
        {
            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                string log = File.Exists(directory.Combine("pgbouncer.log")) ? await File.ReadAllTextAsync(directory.Combine("pgbouncer.log")) : "";
                string output = process.HasExited ? await process.StandardError.ReadToEndAsync() : "";
                await bouncer.DisposeAsync();
                throw new InvalidOperationException($"PgBouncer did not start listening on port {port} within 15 s.{Environment.NewLine}{output}{log}");
            }

            await Task.Delay(50);
        }

        return bouncer;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        _directory.Dispose();
    }

    private static async Task<bool> AcceptsAsync(int port)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
