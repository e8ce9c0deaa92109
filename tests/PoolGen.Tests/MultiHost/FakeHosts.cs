using PoolGen.Tests.Fakes;

namespace PoolGen.Tests.MultiHost;

/// <summary>One fake server: a role that a test changes, and a database that can be down or hang.</summary>
public sealed class FakeHost
{
    private volatile bool _down;
    private volatile bool _hangs;

    public FakeHost(string name, int port, EndpointRole role)
    {
        Endpoint = new PoolEndpoint("127.0.0.1", port, name);
        Role = role;
    }

    public PoolEndpoint Endpoint { get; }

    public FakeDatabase Database { get; } = new();

    public volatile EndpointRole Role;

    public int RoleChecks;

    /// <summary>Role checks running on this host right now.</summary>
    public int RoleChecksRunning;

    /// <summary>Refuses opens and role checks, as a stopped server does.</summary>
    public bool Down
    {
        get => _down;
        set
        {
            _down = value;
            Database.FailWith = value ? new IOException($"{Endpoint}: connection refused") : null;
        }
    }

    /// <summary>Accepts and never answers: opens and role checks wait until their token is cancelled.</summary>
    public bool Hangs
    {
        get => _hangs;
        set
        {
            _hangs = value;
            Database.Gate = value ? new TaskCompletionSource() : null;
        }
    }
}

/// <summary>Fake servers by endpoint, and the role check a multi-host pool runs on them.</summary>
public sealed class FakeCluster
{
    private readonly Dictionary<PoolEndpoint, FakeHost> _hosts = [];

    public FakeCluster(params FakeHost[] hosts)
    {
        foreach (FakeHost host in hosts)
        {
            _hosts.Add(host.Endpoint, host);
        }

        Hosts = hosts;
    }

    public IReadOnlyList<FakeHost> Hosts { get; }

    public FakeHost this[PoolEndpoint endpoint] => _hosts[endpoint];

    public async ValueTask<EndpointRole> CheckRoleAsync(FakeConnection connection, PoolEndpoint endpoint, CancellationToken cancellationToken)
    {
        FakeHost host = _hosts[endpoint];
        Interlocked.Increment(ref host.RoleChecks);
        Interlocked.Increment(ref host.RoleChecksRunning);
        try
        {
            if (host.Hangs)
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            return host.Down ? throw new IOException($"{endpoint}: connection reset") : host.Role;
        }
        finally
        {
            Interlocked.Decrement(ref host.RoleChecksRunning);
        }
    }

    /// <summary>A multi-host pool over these hosts with fast checks; <paramref name="configure"/> adjusts the options.</summary>
    public MultiHostPool<FakeConnection, FakeEndpointPool.Lease> CreatePool(Action<MultiHostOptions<FakeConnection>>? configure = null)
    {
        var options = new MultiHostOptions<FakeConnection>("fakes", Hosts.Select(h => h.Endpoint))
        {
            RoleCheck = CheckRoleAsync,
            AcquireTimeoutMs = 2_000,
            CheckTimeoutMs = 300,
            RecheckIntervalMs = 60_000,
            FailureRecheckMs = 50,
        };
        configure?.Invoke(options);
        return new MultiHostPool<FakeConnection, FakeEndpointPool.Lease>(options, endpoint => new FakeEndpointPool(this[endpoint]));
    }
}

/// <summary>The pool of one fake endpoint: its factory opens on that host's database.</summary>
[ConnectionPool(Max = 4, AcquireTimeoutMs = 2_000, MaxRetryAttempts = 0)]
public sealed partial class FakeEndpointPool
{
    private readonly FakeHost _host;

    public FakeEndpointPool(FakeHost host) => _host = host;

    private ValueTask<FakeConnection> CreateAsync(CancellationToken cancellationToken) => _host.Database.OpenAsync(cancellationToken);

    partial void ConfigurePool(PoolOptions options) => options.Name = $"fakes@{_host.Endpoint}";
}
