using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace PoolGen.IntegrationTests.Infrastructure;

/// <summary>
/// A TCP relay between the pool and a server that can go silent the way a firewall or NAT drops an idle flow: the
/// sockets stay open, but nothing passes any more, so a query on such a connection neither fails nor answers. New
/// connections are relayed normally.
/// </summary>
public sealed class BlackholeProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly string _targetHost;
    private readonly int _targetPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<Relay, byte> _relays = new();
    private readonly Task _accepting;

    public BlackholeProxy(string targetHost, int targetPort)
    {
        _targetHost = targetHost;
        _targetPort = targetPort;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    /// <summary>The loopback port clients connect to.</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Connections relayed so far.</summary>
    public int Accepted;

    /// <summary>Stops relaying on every connection open now, without closing either side.</summary>
    public int SilenceExisting()
    {
        int silenced = 0;
        foreach (Relay relay in _relays.Keys)
        {
            relay.Silenced = true;
            silenced++;
        }

        return silenced;
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        foreach (Relay relay in _relays.Keys)
        {
            relay.Close();
        }

        try
        {
            await _accepting;
        }
        catch (Exception)
        {
            // The listener was stopped under the accept loop; that is how it ends.
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client = await _listener.AcceptTcpClientAsync(_stop.Token);
            Interlocked.Increment(ref Accepted);
            var server = new TcpClient();
            try
            {
                await server.ConnectAsync(_targetHost, _targetPort, _stop.Token);
            }
            catch (Exception)
            {
                client.Dispose();
                server.Dispose();
                continue;
            }

            var relay = new Relay(client, server);
            _relays.TryAdd(relay, 0);
            _ = relay.RunAsync(_stop.Token).ContinueWith(_ => _relays.TryRemove(relay, out byte _), TaskScheduler.Default);
        }
    }

    private sealed class Relay(TcpClient client, TcpClient server)
    {
        public volatile bool Silenced;

        public async Task RunAsync(CancellationToken cancellationToken)
        {
            try
            {
                await Task.WhenAny(
                    PumpAsync(client.GetStream(), server.GetStream(), cancellationToken),
                    PumpAsync(server.GetStream(), client.GetStream(), cancellationToken));
            }
            finally
            {
                // A silenced relay keeps both sockets open until the proxy is disposed, like a dropped flow.
                if (!Silenced)
                {
                    Close();
                }
            }
        }

        public void Close()
        {
            client.Dispose();
            server.Dispose();
        }

        private async Task PumpAsync(NetworkStream from, NetworkStream to, CancellationToken cancellationToken)
        {
            byte[] buffer = new byte[16 * 1024];
            while (true)
            {
                int read = await from.ReadAsync(buffer, cancellationToken);
                if (read == 0)
                {
                    return;
                }

                // Bytes that arrive after the drop are swallowed: neither side hears from the other again.
                if (!Silenced)
                {
                    await to.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }
            }
        }
    }
}
