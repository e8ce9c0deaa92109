using System.Net;
using System.Net.Sockets;

namespace PoolGen.IntegrationTests.Infrastructure;

/// <summary>
/// A loopback port nobody listens on, so a connect to it is refused at once: a database that is down, without stopping
/// the shared server. The port was free a moment ago; another process could take it, which on a test machine is rare
/// enough, and the test would then see a different error rather than pass wrongly.
/// </summary>
internal static class ClosedPort
{
    public static int Find()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
