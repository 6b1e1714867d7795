using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace PushServer.Testing;

/// <summary>
/// A throwaway <c>redis-server</c> on 127.0.0.1 with a free port, no persistence. Disposing it kills the process
/// by its id, also when the test failed. <see cref="StopAsync"/> and <see cref="StartAgainAsync"/> simulate an outage
/// on the same port.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private Process? _process;

    private RedisServer(int port) => Port = port;

    /// <summary>The port Redis listens on.</summary>
    public int Port { get; }

    /// <summary><c>redis://127.0.0.1:PORT</c>.</summary>
    public string Url => $"redis://127.0.0.1:{Port}";

    /// <summary>Starts redis-server and waits until it accepts connections.</summary>
    public static async Task<RedisServer> StartAsync()
    {
        var server = new RedisServer(FreePort());
        await server.StartAgainAsync().ConfigureAwait(false);
        return server;
    }

    /// <summary>Kills the server (as a crash would) and waits for it to exit.</summary>
    public async Task StopAsync()
    {
        var process = Interlocked.Exchange(ref _process, null);
        if (process is null)
        {
            return;
        }
        using (process)
        {
            try
            {
                process.Kill();
            }
            catch (InvalidOperationException)
            {
                // Only control flow: it has already exited.
            }
            await process.WaitForExitAsync().DefaultTimeout().ConfigureAwait(false);
        }
    }

    /// <summary>Starts the server on the same port (after <see cref="StopAsync"/>) and waits until it is ready.</summary>
    public async Task StartAgainAsync()
    {
        var (process, ready) = RedisServerProcess.Start(Port, []);
        _process = process;
        await ready.DefaultTimeout().ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => new(StopAsync());

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
