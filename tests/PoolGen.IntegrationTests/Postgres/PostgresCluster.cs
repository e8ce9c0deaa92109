using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Npgsql;
using PoolGen.IntegrationTests.Infrastructure;

namespace PoolGen.IntegrationTests.Postgres;

/// <summary>
/// One PostgreSQL server for the whole test run: the one named by <c>POOLGEN_PG_CONNECTION</c>, or else a throwaway
/// cluster started from the machine's installed binaries on a free loopback port and removed afterwards.
/// When neither is possible the fixture throws, so every PostgreSQL test fails with instructions; it never skips.
/// This file uses no xunit type: the benchmarks link it to start their own cluster (see PostgresCollection.cs).
/// </summary>
public sealed partial class PostgresCluster
{
    public const string ConnectionVariable = "POOLGEN_PG_CONNECTION";

    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(90);

    private TempDirectory? _directory;
    private string? _pgCtl;
    private bool _asPostgresUser;
    private string[]? _startArguments;

    /// <summary>A connection string with Npgsql's own pooling off, so PoolGen does all the pooling.</summary>
    public string ConnectionString { get; private set; } = "";

    /// <summary>How long it took to have a server answering (creating and starting a cluster, or reaching the given one).</summary>
    public TimeSpan StartupTime { get; private set; }

    /// <summary>Where the server came from, for test output.</summary>
    public string Origin { get; private set; } = "";

    /// <summary>The connection string with a unique application name, so a test counts only its own backends.</summary>
    public string ConnectionStringFor(string applicationName) =>
        new NpgsqlConnectionStringBuilder(ConnectionString) { ApplicationName = applicationName }.ConnectionString;

    public async Task InitializeAsync()
    {
        var stopwatch = Stopwatch.StartNew();
        string? given = Environment.GetEnvironmentVariable(ConnectionVariable);
        if (!string.IsNullOrWhiteSpace(given))
        {
            ConnectionString = new NpgsqlConnectionStringBuilder(given) { Pooling = false }.ConnectionString;
            Origin = $"server named by {ConnectionVariable}";
        }
        else
        {
            try
            {
                await StartThrowawayClusterAsync();
            }
            catch
            {
                await DisposeAsync(); // a half-made cluster is removed even though xunit will not dispose this fixture
                throw;
            }
        }

        try
        {
            await using var connection = new NpgsqlConnection(ConnectionString);
            await connection.OpenAsync();
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or ArgumentException)
        {
            await DisposeAsync();
            throw new InvalidOperationException(
                $"No PostgreSQL server for the integration tests: the {Origin} did not accept a connection " +
                $"({ex.GetType().Name}: {ex.Message}). " +
                (!string.IsNullOrWhiteSpace(given)
                    ? $"Check that {ConnectionVariable} names a running server and a superuser that may log in, or unset it " +
                      "to let the tests start a throwaway cluster from the installed PostgreSQL binaries."
                    : "The cluster started but refused connections; the server log is in the data folder's log file."),
                ex);
        }

        StartupTime = stopwatch.Elapsed;
    }

    public async Task DisposeAsync()
    {
        if (_directory is null)
        {
            return;
        }

        if (_pgCtl is not null)
        {
            await RunAsync(_pgCtl, ["-D", DataDirectory, "stop", "-m", "immediate", "-w"]);
            _pgCtl = null;
        }

        _directory.Dispose();
        _directory = null;
    }

    /// <summary>
    /// Backend process ids of every connection with this application name (the observer's own excluded),
    /// as PostgreSQL sees them.
    /// </summary>
    public async Task<int[]> BackendPidsAsync(string applicationName)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT pid FROM pg_stat_activity WHERE application_name = @app AND pid <> pg_backend_pid() ORDER BY pid",
            connection);
        command.Parameters.AddWithValue("app", applicationName);
        var pids = new List<int>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            pids.Add(reader.GetInt32(0));
        }

        return [.. pids];
    }

    /// <summary>Kills one backend from the server side, as an administrator or a failover would.</summary>
    public async Task TerminateBackendAsync(int pid)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT pg_terminate_backend(@pid)", connection);
        command.Parameters.AddWithValue("pid", pid);
        object? terminated = await command.ExecuteScalarAsync();
        if (terminated is not true)
        {
            throw new InvalidOperationException($"pg_terminate_backend({pid}) returned {terminated ?? "null"}: no such backend.");
        }
    }

    // ---- Fault injection: stopping and restarting the server, killing backends in bulk. Nothing above depends on it. ----

    /// <summary>Whether the server can be stopped and started again: only a throwaway cluster this fixture started.</summary>
    public bool CanRestart => _pgCtl is not null && _startArguments is not null;

    /// <summary>
    /// Stops the server with pg_ctl's shutdown <paramref name="mode"/>: <c>fast</c> disconnects every client and shuts
    /// down cleanly, <c>immediate</c> quits at once as a crash would. Returns when the server has exited.
    /// </summary>
    public async Task StopServerAsync(string mode)
    {
        RequireRestartable();
        ProcessResult stop = await RunAsync(_pgCtl!, ["-D", DataDirectory, "stop", "-m", mode, "-w", "-t", "60"]);
        if (!stop.Succeeded)
        {
            throw new InvalidOperationException($"pg_ctl could not stop the cluster ({mode}).{Environment.NewLine}{stop.Describe()}");
        }
    }

    /// <summary>Starts the stopped server again on the same port, so existing connection strings work; returns once it accepts connections.</summary>
    public async Task StartServerAsync()
    {
        RequireRestartable();
        ProcessResult start = await RunAsync(_pgCtl!, _startArguments!);
        if (!start.Succeeded)
        {
            throw new InvalidOperationException($"pg_ctl could not start the cluster again.{Environment.NewLine}{start.Describe()}");
        }
    }

    /// <summary>Starts the server if it is not running: the cleanup of a test that stopped it, so later tests find it up.</summary>
    public async Task EnsureServerRunningAsync()
    {
        if (!CanRestart)
        {
            return;
        }

        // pg_ctl status: exit code 0 when the server runs, 3 when it does not.
        ProcessResult status = await RunAsync(_pgCtl!, ["-D", DataDirectory, "status"]);
        if (!status.Succeeded)
        {
            await StartServerAsync();
        }
    }

    /// <summary>Kills every backend with this application name; returns how many were terminated.</summary>
    public async Task<int> TerminateBackendsAsync(string applicationName)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            // MATERIALIZED: the victims are chosen first, so the kill never runs on a row the filter would have dropped.
            "WITH victims AS MATERIALIZED (SELECT pid FROM pg_stat_activity WHERE application_name = @app AND pid <> pg_backend_pid()) " +
            "SELECT (count(*) FILTER (WHERE pg_terminate_backend(pid)))::int FROM victims",
            connection);
        command.Parameters.AddWithValue("app", applicationName);
        return (int)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Kills one backend with this application name, picked at random; returns its pid, or null when there was none.</summary>
    public async Task<int?> TerminateRandomBackendAsync(string applicationName, CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            "WITH victim AS MATERIALIZED (SELECT pid FROM pg_stat_activity WHERE application_name = @app AND pid <> pg_backend_pid() " +
            "ORDER BY random() LIMIT 1) SELECT pid FROM victim WHERE pg_terminate_backend(pid)",
            connection);
        command.Parameters.AddWithValue("app", applicationName);
        return await command.ExecuteScalarAsync(cancellationToken) as int?;
    }

    private void RequireRestartable()
    {
        if (!CanRestart)
        {
            throw new InvalidOperationException(
                $"This test stops and restarts the PostgreSQL server, which only works on the throwaway cluster the " +
                $"fixture starts itself. Unset {ConnectionVariable} to run it.");
        }
    }

    private string DataDirectory => _directory!.Combine("data");

    private async Task StartThrowawayClusterAsync()
    {
        var log = new StringBuilder();
        (string? initdb, string? pgCtl) = await FindBinariesAsync(log);
        if (initdb is null || pgCtl is null)
        {
            throw Unavailable("no PostgreSQL server binaries (initdb, pg_ctl) were found", log);
        }

        _directory = new TempDirectory("poolgen-pg");
        _asPostgresUser = Environment.UserName == "root";
        if (_asPostgresUser)
        {
            // initdb refuses to run as root; the cluster belongs to the postgres user, who must own the folder.
            ProcessResult chown = await RunAsync("chown", ["postgres:postgres", _directory.Path], asPostgres: false);
            log.AppendLine(chown.Describe());
            if (!chown.Succeeded)
            {
                throw Unavailable("the temp folder could not be given to the postgres user", log);
            }
        }

        ProcessResult init = await RunAsync(initdb, ["-D", DataDirectory, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8"]);
        log.AppendLine(init.Describe());
        if (!init.Succeeded)
        {
            throw Unavailable("initdb failed", log);
        }

        // A port that was free a moment ago can be taken before the server binds it: try a few.
        for (int attempt = 1; attempt <= 3; attempt++)
        {
            int port = FreeLoopbackPort();
            string serverLog = _directory.Combine($"server-{port}.log");
            string[] startArguments =
                ["-D", DataDirectory, "-l", serverLog, "-w", "-t", "60",
                 "-o", $"-p {port} -k {_directory.Path} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200",
                 "start"];
            ProcessResult start = await RunAsync(pgCtl, startArguments);
            log.AppendLine(start.Describe());
            if (start.Succeeded)
            {
                _pgCtl = pgCtl;
                _startArguments = startArguments;
                Origin = $"throwaway cluster from {Path.GetDirectoryName(pgCtl)} on port {port}";
                ConnectionString = new NpgsqlConnectionStringBuilder
                {
                    Host = "127.0.0.1",
                    Port = port,
                    Username = "postgres",
                    Database = "postgres",
                    Pooling = false,
                    Timeout = 15,
                }.ConnectionString;
                return;
            }

            if (File.Exists(serverLog))
            {
                log.AppendLine($"--- {Path.GetFileName(serverLog)} ---").AppendLine(await File.ReadAllTextAsync(serverLog));
            }
        }

        throw Unavailable("pg_ctl could not start the cluster", log);
    }

    // The highest installed major version under /usr/lib/postgresql, else the server binaries pg_config points to.
    private static async Task<(string? InitDb, string? PgCtl)> FindBinariesAsync(StringBuilder log)
    {
        var folders = new List<string>();
        if (Directory.Exists("/usr/lib/postgresql"))
        {
            folders.AddRange(Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => (Dir: d, Version: int.TryParse(Path.GetFileName(d), out int v) ? v : -1))
                .OrderByDescending(x => x.Version)
                .Select(x => Path.Combine(x.Dir, "bin")));
        }

        ProcessResult pgConfig = await ProcessRunner.RunAsync("pg_config", ["--bindir"], TimeSpan.FromSeconds(10));
        log.AppendLine(pgConfig.Describe());
        if (pgConfig.Succeeded)
        {
            folders.Add(pgConfig.Output.Trim());
        }

        foreach (string folder in folders)
        {
            string initdb = Path.Combine(folder, "initdb");
            string pgCtl = Path.Combine(folder, "pg_ctl");
            log.AppendLine($"looking in {folder}: initdb {(File.Exists(initdb) ? "found" : "missing")}, pg_ctl {(File.Exists(pgCtl) ? "found" : "missing")}");
            if (File.Exists(initdb) && File.Exists(pgCtl))
            {
                return (initdb, pgCtl);
            }
        }

        return (null, null);
    }

    private static int FreeLoopbackPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private Task<ProcessResult> RunAsync(string fileName, string[] arguments) => RunAsync(fileName, arguments, _asPostgresUser);

    private static Task<ProcessResult> RunAsync(string fileName, string[] arguments, bool asPostgres) =>
        asPostgres
            ? ProcessRunner.RunAsync("runuser", ["-u", "postgres", "--", fileName, .. arguments], CommandTimeout, workingDirectory: "/")
            : ProcessRunner.RunAsync(fileName, arguments, CommandTimeout);

    private static InvalidOperationException Unavailable(string what, StringBuilder log) =>
        new($"No PostgreSQL server for the integration tests: {what}. Either install the server " +
            "(Debian/Ubuntu, as root: 'apt-get update && apt-get install -y postgresql'; the tests start a throwaway " +
            $"cluster from /usr/lib/postgresql/<version>/bin and remove it afterwards), or set {ConnectionVariable} to the " +
            "connection string of a server where the tests may open up to ~20 connections as a superuser " +
            $"(e.g. 'Host=127.0.0.1;Port=5432;Username=postgres;Password=...;Database=postgres').{Environment.NewLine}" +
            $"What was tried:{Environment.NewLine}{log}");
}
