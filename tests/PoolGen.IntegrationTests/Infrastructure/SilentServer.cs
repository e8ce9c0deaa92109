using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace PoolGen.IntegrationTests.Infrastructure;

/// <summary>
/// A TCP listener that accepts connections and then says nothing, like a server whose host is up but whose database
/// process hangs, or a firewall that lets the handshake through and drops the rest: a client's connect succeeds and its
/// open then waits for an answer until its own timeout. Optionally it answers late, by relaying each connection to a
/// real server once a delay has passed (what the client sent meanwhile waits in the socket and is relayed then).
/// </summary>
public sealed class SilentServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentBag<TcpClient> _sockets = [];
    private readonly ConcurrentBag<Task> _relays = [];
    private readonly TimeSpan _answerAfter;
    private readonly string? _targetHost;
    private readonly int _targetPort;
    private readonly Task _accepting;
    private int _accepted;

    /// <summary>A server that never answers.</summary>
    public SilentServer()
        : this(Timeout.InfiniteTimeSpan, null, 0)
    {
    }

    private SilentServer(TimeSpan answerAfter, string? targetHost, int targetPort)
    {
        _answerAfter = answerAfter;
        _targetHost = targetHost;
        _targetPort = targetPort;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    /// <summary>A server that stays silent for <paramref name="answerAfter"/> on each connection, then relays it to the real one.</summary>
    public static SilentServer AnsweringAfter(TimeSpan answerAfter, string targetHost, int targetPort) =>
        new(answerAfter, targetHost, targetPort);

    /// <summary>The loopback port clients connect to.</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Connections accepted so far.</summary>
    public int Accepted => Volatile.Read(ref _accepted);

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();

        // Closing the accepted sockets ends whatever the clients still wait for, with an error on their side.
        foreach (TcpClient socket in _sockets)
        {
            socket.Dispose();
        }

        try
        {
            await _accepting;
        }
        catch (Exception)
        {
            // The listener was stopped under the accept loop; that is how it ends.
        }

        await Task.WhenAll(_relays);
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client = await _listener.AcceptTcpClientAsync(_stop.Token);
            _sockets.Add(client);
            Interlocked.Increment(ref _accepted);
            if (_targetHost is not null)
            {
                _relays.Add(RelayLaterAsync(client));
            }
        }
    }

    private async Task RelayLaterAsync(TcpClient client)
    {
        try
        {
            await Task.Delay(_answerAfter, _stop.Token);
            var server = new TcpClient();
            _sockets.Add(server);
            await server.ConnectAsync(_targetHost!, _targetPort, _stop.Token);
            await Task.WhenAny(
                PumpAsync(client.GetStream(), server.GetStream(), _stop.Token),
                PumpAsync(server.GetStream(), client.GetStream(), _stop.Token));
            client.Dispose();
            server.Dispose();
        }
        catch (Exception)
        {
            // Stopped, or one side went away: the relay ends either way and the sockets are closed on dispose.
        }
    }

    private static async Task PumpAsync(NetworkStream from, NetworkStream to, CancellationToken cancellationToken)
    {
        byte[] buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await from.ReadAsync(buffer, cancellationToken)) > 0)
            {
                await to.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }
        }
        catch (Exception)
        {
            // A closed side ends the pump; the other one is closed by the caller.
        }
    }
}
