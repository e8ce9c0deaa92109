using System.Text;
using Npgsql;
using PoolGen.IntegrationTests.Infrastructure;
using PoolGen.IntegrationTests.Postgres;

namespace PoolGen.IntegrationTests.MultiHost;

/// <summary>
/// A throwaway PostgreSQL primary with streaming standbys, started from the installed binaries the way
/// <see cref="PostgresCluster"/> starts its server (as the postgres user when running as root, on free loopback
/// ports, sockets in a temp folder): the primary by initdb, each standby by <c>pg_basebackup -R</c> from it. It can
/// stop, start and promote each node. When no server can be started it throws, so the tests fail saying how to fix
/// it; they never skip. A server named by <c>POOLGEN_PG_CONNECTION</c> cannot serve here: replicas need local binaries.
/// </summary>
public sealed class ReplicaSet : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly TempDirectory _directory;
    private readonly string _binaries;
    private readonly bool _asPostgres;
    private readonly List<ReplicaNode> _nodes = [];

    private ReplicaSet(TempDirectory directory, string binaries, bool asPostgres)
    {
        _directory = directory;
        _binaries = binaries;
        _asPostgres = asPostgres;
    }

    /// <summary>The primary, then the standbys in the order they were added.</summary>
    public IReadOnlyList<ReplicaNode> Nodes => _nodes;

    public ReplicaNode Primary => _nodes[0];

    /// <summary>Starts a primary and <paramref name="standbys"/> standbys streaming from it.</summary>
    public static async Task<ReplicaSet> StartAsync(int standbys)
    {
        var log = new StringBuilder();
        (string? initdb, string? pgCtl) = await PostgresCluster.LocateBinariesAsync(log);
        if (initdb is null || pgCtl is null)
        {
            throw PostgresCluster.NoServer("no PostgreSQL server binaries (initdb, pg_ctl, pg_basebackup) were found", log);
        }

        var directory = new TempDirectory("poolgen-replicas");
        var set = new ReplicaSet(directory, Path.GetDirectoryName(pgCtl)!, Environment.UserName == "root");
        try
        {
            await set.StartPrimaryAsync(log);
            for (int i = 0; i < standbys; i++)
            {
                await set.AddStandbyAsync(log);
            }

            return set;
        }
        catch
        {
            await set.DisposeAsync();
            throw;
        }
    }

    /// <summary>Stops a node: <c>fast</c> disconnects clients and shuts down cleanly, <c>immediate</c> as a crash would.</summary>
    public async Task StopAsync(ReplicaNode node, string mode = "fast")
    {
        ProcessResult stop = await RunAsync("pg_ctl", ["-D", node.DataDirectory, "stop", "-m", mode, "-w", "-t", "60"]);
        Require(stop, $"pg_ctl could not stop {node}");
        node.Running = false;
    }

    /// <summary>Starts a stopped node again on its port.</summary>
    public async Task StartAsync(ReplicaNode node)
    {
        ProcessResult start = await RunAsync("pg_ctl", StartArguments(node));
        Require(start, $"pg_ctl could not start {node}");
        node.Running = true;
    }

    /// <summary>Promotes a standby to primary; returns once it accepts writes (<c>pg_ctl promote -w</c>).</summary>
    public async Task PromoteAsync(ReplicaNode node)
    {
        ProcessResult promote = await RunAsync("pg_ctl", ["-D", node.DataDirectory, "promote", "-w", "-t", "60"]);
        Require(promote, $"pg_ctl could not promote {node}");
    }

    /// <summary>Waits until every standby has replayed the primary's latest write, so reads there see it.</summary>
    public async Task WaitForReplayAsync()
    {
        await using var primary = new NpgsqlConnection(Primary.ConnectionString);
        await primary.OpenAsync();
        await using var lsnCommand = new NpgsqlCommand("SELECT pg_current_wal_lsn()::text", primary);
        string lsn = (string)(await lsnCommand.ExecuteScalarAsync())!;
        foreach (ReplicaNode standby in _nodes.Skip(1).Where(n => n.Running))
        {
            await using var connection = new NpgsqlConnection(standby.ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT pg_last_wal_replay_lsn() >= @lsn::pg_lsn", connection);
            command.Parameters.AddWithValue("lsn", lsn);
            DateTime deadline = DateTime.UtcNow.AddSeconds(30);
            while (await command.ExecuteScalarAsync() is not true)
            {
                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException($"{standby} did not replay the primary's WAL up to {lsn} within 30 s.");
                }

                await Task.Delay(20);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (ReplicaNode node in _nodes.AsEnumerable().Reverse())
        {
            await RunAsync("pg_ctl", ["-D", node.DataDirectory, "stop", "-m", "immediate", "-w"]);
        }

        _directory.Dispose();
    }

    private async Task StartPrimaryAsync(StringBuilder log)
    {
        if (_asPostgres)
        {
            // initdb refuses root; the postgres user must own the folder of every node.
            ProcessResult chown = await PostgresCluster.RunCommandAsync("chown", ["postgres:postgres", _directory.Path], asPostgres: false);
            log.AppendLine(chown.Describe());
            if (!chown.Succeeded)
            {
                throw PostgresCluster.NoServer("the temp folder could not be given to the postgres user", log);
            }
        }

        string data = _directory.Combine("primary");
        ProcessResult init = await RunAsync("initdb", ["-D", data, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8"]);
        log.AppendLine(init.Describe());
        if (!init.Succeeded)
        {
            throw PostgresCluster.NoServer("initdb failed", log);
        }

        await StartNodeAsync("primary", data, log);
    }

    private async Task AddStandbyAsync(StringBuilder log)
    {
        string name = $"standby{_nodes.Count}";
        string data = _directory.Combine(name);
        // -R writes standby.signal and primary_conninfo: the copy starts as a standby streaming from the primary.
        ProcessResult backup = await RunAsync(
            "pg_basebackup",
            ["-h", "127.0.0.1", "-p", Primary.Port.ToString(), "-U", "postgres", "-D", data, "-R", "-X", "stream", "--no-sync"]);
        log.AppendLine(backup.Describe());
        if (!backup.Succeeded)
        {
            throw PostgresCluster.NoServer($"pg_basebackup could not copy the primary for {name}", log);
        }

        await StartNodeAsync(name, data, log);
    }

    // A port free a moment ago can be taken before the server binds it: try a few.
    private async Task StartNodeAsync(string name, string data, StringBuilder log)
    {
        for (int attempt = 1; attempt <= 3; attempt++)
        {
            var node = new ReplicaNode(name, data, PostgresCluster.PickFreeLoopbackPort(), _directory.Path);
            ProcessResult start = await RunAsync("pg_ctl", StartArguments(node));
            log.AppendLine(start.Describe());
            if (start.Succeeded)
            {
                node.Running = true;
                _nodes.Add(node);
                return;
            }

            string serverLog = node.LogFile;
            if (File.Exists(serverLog))
            {
                log.AppendLine($"--- {Path.GetFileName(serverLog)} ---").AppendLine(await File.ReadAllTextAsync(serverLog));
            }
        }

        throw PostgresCluster.NoServer($"pg_ctl could not start {name}", log);
    }

    private static string[] StartArguments(ReplicaNode node) =>
        ["-D", node.DataDirectory, "-l", node.LogFile, "-w", "-t", "60",
         "-o", $"-p {node.Port} -k {node.SocketDirectory} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100",
         "start"];

    private Task<ProcessResult> RunAsync(string tool, string[] arguments) =>
        PostgresCluster.RunCommandAsync(Path.Combine(_binaries, tool), arguments, _asPostgres);

    private static void Require(ProcessResult result, string what)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"{what}.{Environment.NewLine}{result.Describe()}");
        }
    }
}

/// <summary>One server of a <see cref="ReplicaSet"/>.</summary>
public sealed class ReplicaNode
{
    internal ReplicaNode(string name, string dataDirectory, int port, string socketDirectory)
    {
        Name = name;
        DataDirectory = dataDirectory;
        Port = port;
        SocketDirectory = socketDirectory;
    }

    public string Name { get; }

    public int Port { get; }

    public bool Running { get; internal set; }

    internal string DataDirectory { get; }

    internal string SocketDirectory { get; }

    internal string LogFile => DataDirectory + ".log";

    public PoolEndpoint Endpoint => new("127.0.0.1", Port, Name);

    /// <summary>A connection string to this node alone, Npgsql's pooling off.</summary>
    public string ConnectionString => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = "postgres",
        Database = "postgres",
        Pooling = false,
        Timeout = 15,
    }.ConnectionString;

    public override string ToString() => $"{Name} (port {Port})";
}
