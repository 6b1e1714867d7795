using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PushServer.Configuration;
using PushServer.Hosting;

namespace PushServer.Tests.Hosting;

/// <summary>
/// <c>Server:MaxConnections</c> and <c>Server:RequestHeadersTimeout</c>: the cap derived from the open-file limit,
/// and both keys reaching the Socket.IO listener, with connection-level WebSockets on and off.
/// </summary>
public sealed class ConnectionCapacityTests
{
    [Theory]
    [InlineData(20_000, 213, 20_000 - 213 - ConnectionCapacity.Reserve)]
    [InlineData(1_048_576, 213, 1_048_576 - 213 - ConnectionCapacity.Reserve)]
    [InlineData(1_000, 200, 400)] // fewer than twice the reserve free: half of them
    [InlineData(300, 200, 50)]
    [InlineData(200, 200, 1)]
    public void The_derived_cap_leaves_the_reserve_or_half_the_free_descriptors(long maximum, int open, int expected) =>
        Assert.Equal(expected, ConnectionCapacity.Derive(new DescriptorLimit(maximum, open)));

    [Fact]
    public void The_open_file_limit_is_read_on_Linux()
    {
        var limit = DescriptorLimit.Read();
        if (!OperatingSystem.IsLinux())
        {
            Assert.Null(limit);
            return;
        }
        Assert.NotNull(limit);
        Assert.InRange(limit.Value.Open, 3, limit.Value.Maximum);
    }

    [Fact]
    public void A_configured_cap_wins_over_the_derived_one()
    {
        Assert.Equal((5, "Server:MaxConnections"), ConnectionCapacity.Resolve(new ServerSettings { MaxConnections = 5 }));
        var (derived, source) = ConnectionCapacity.Resolve(new ServerSettings());
        if (OperatingSystem.IsLinux())
        {
            Assert.True(derived > 0, source);
            Assert.Contains("open-file limit", source, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_configured_cap_and_header_timeout_reach_the_Socket_IO_listener(bool connectionLevelWebSockets)
    {
        await using var server = await InProcessServer.StartAsync(new Dictionary<string, string?>
        {
            ["Server:MaxConnections"] = "2",
            ["Server:RequestHeadersTimeout"] = "60000",
            ["Server:ConnectionLevelWebSockets"] = connectionLevelWebSockets ? "true" : "false",
        });
        var limits = server.Services.GetRequiredService<ListenerEndpoints>().SocketIOLimits;
        Assert.Equal(2, limits.MaxConnections);
        Assert.Equal(TimeSpan.FromSeconds(60), limits.RequestHeadersTimeout);

        var endPoint = new IPEndPoint(IPAddress.Loopback, server.SocketIOPort);
        using var first = await ConnectAsync(endPoint);
        using var second = await ConnectAsync(endPoint);
        await WaitUntilAsync(() => limits.OpenConnections == 2);
        // The third is reset on accept: it reads as closed at once, with nothing sent.
        await AssertClosedOnAcceptAsync(endPoint, request: null);
        Assert.Equal(1, limits.RefusedConnections);

        // A place freed is taken again, and served.
        first.Dispose();
        await WaitUntilAsync(() => limits.OpenConnections == 1);
        using var client = new HttpClient { BaseAddress = server.SocketIOUri, Timeout = TimeSpan.FromSeconds(10) };
        Assert.StartsWith("0{", await client.GetStringAsync("socket.io/?EIO=4&transport=polling"));
    }

    [Fact]
    public async Task The_push_port_holds_at_most_PushApi_MaxConnections_and_closes_the_rest_on_accept()
    {
        await using var server = await InProcessServer.StartAsync(new Dictionary<string, string?>
        {
            ["PushApi:MaxConnections"] = "2",
        });
        var limits = server.Services.GetRequiredService<ListenerEndpoints>().PushLimits!;
        Assert.Equal(2, limits.MaxConnections);

        var endPoint = new IPEndPoint(IPAddress.Loopback, server.PushPort);
        using var first = await ConnectAsync(endPoint);
        using var second = await ConnectAsync(endPoint);
        await WaitUntilAsync(() => limits.OpenConnections == 2);
        // The third is closed on accept: its request is never answered.
        await AssertClosedOnAcceptAsync(endPoint, "GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"u8.ToArray());
        Assert.Equal(1, limits.RefusedConnections);

        // A place freed is served again, and the refusal shows in /metrics.
        first.Dispose();
        await WaitUntilAsync(() => limits.OpenConnections == 1);
        using var push = server.PushClient();
        Assert.Contains("pushserver_push_connections_refused_total 1", await push.GetStringAsync("metrics"));
    }

    [Fact]
    public async Task A_push_connection_that_sends_nothing_is_closed_after_RequestHeadersTimeout_and_its_place_freed()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await InProcessServer.StartAsync(
            new Dictionary<string, string?>
            {
                ["PushApi:MaxConnections"] = "2",
                ["Server:RequestHeadersTimeout"] = "10000",
            },
            services => services.AddSingleton<TimeProvider>(clock));
        var limits = server.Services.GetRequiredService<ListenerEndpoints>().PushLimits!;
        var endPoint = new IPEndPoint(IPAddress.Loopback, server.PushPort);

        using var silent = await ConnectAsync(endPoint);
        using var talking = await ConnectAsync(endPoint);
        await talking.SendAsync("GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"u8.ToArray());
        // Answered, so its first byte was seen before the virtual clock moves (on a busy machine the server may read
        // it later than the test can move the clock by the whole timeout).
        Assert.Contains("HTTP/1.1 200", await ReadResponseAsync(talking));
        await WaitUntilAsync(() => limits.OpenConnections == 2);
        var silentEnded = ReadAsync(silent);

        // Just short of the timeout nothing is closed; past it, only the silent connection is.
        clock.Advance(TimeSpan.FromSeconds(9));
        Assert.False(silentEnded.IsCompleted);
        var advanced = TimeSpan.FromSeconds(9);
        while (!silentEnded.IsCompleted)
        {
            Assert.True(advanced < TimeSpan.FromSeconds(60), "the silent connection was never closed");
            clock.Advance(TimeSpan.FromSeconds(1));
            advanced += TimeSpan.FromSeconds(1);
            await Task.WhenAny(silentEnded, Task.Delay(50));
        }
        Assert.True(advanced >= TimeSpan.FromSeconds(10), $"closed after {advanced}");
        Assert.Equal(0, await silentEnded);
        Assert.Equal(1, limits.TimedOutConnections);

        // The connection that sent its request is still served; the freed place is taken again.
        await talking.SendAsync("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"u8.ToArray());
        Assert.Contains("pushserver_push_connection_timeouts_total 1", await ReadResponseAsync(talking, "pushserver_push_connection_timeouts_total"));
        await WaitUntilAsync(() => limits.OpenConnections == 1);
        using var push = server.PushClient();
        Assert.Equal("Healthy", await push.GetStringAsync("health/live"));
    }

    /// <summary>Reads from <paramref name="socket"/> until what came contains <paramref name="until"/> (a whole head by default).</summary>
    private static async Task<string> ReadResponseAsync(Socket socket, string until = "\r\n\r\n")
    {
        var text = new System.Text.StringBuilder();
        var buffer = new byte[16 * 1024];
        while (!text.ToString().Contains(until, StringComparison.Ordinal))
        {
            var read = await socket.ReceiveAsync(buffer).DefaultTimeout();
            Assert.True(read > 0, $"closed after: {text}");
            text.Append(System.Text.Encoding.ASCII.GetString(buffer, 0, read));
        }
        return text.ToString();
    }

    /// <summary>A new connection to <paramref name="endPoint"/> (sending <paramref name="request"/>) reads nothing before it ends.</summary>
    private static async Task AssertClosedOnAcceptAsync(IPEndPoint endPoint, byte[]? request)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(endPoint).DefaultTimeout();
            if (request is not null)
            {
                await socket.SendAsync(request);
            }
            Assert.Equal(0, await ReadAsync(socket));
        }
        catch (SocketException ex) when (ex.SocketErrorCode is SocketError.ConnectionReset or SocketError.Shutdown)
        {
            // Closed before the connect or the send completed: refused all the same.
        }
    }

    private static async Task<Socket> ConnectAsync(IPEndPoint endPoint)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(endPoint).DefaultTimeout();
        return socket;
    }

    /// <summary>Bytes read before the connection ended; a reset ends it too.</summary>
    private static async Task<int> ReadAsync(Socket socket)
    {
        var total = 0;
        var buffer = new byte[1024];
        try
        {
            while (true)
            {
                var read = await socket.ReceiveAsync(buffer).DefaultTimeout();
                if (read == 0)
                {
                    return total;
                }
                total += read;
            }
        }
        catch (SocketException)
        {
            return total;
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var until = DateTime.UtcNow + TestTimeouts.Default;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < until, "not reached in time");
            await Task.Delay(20);
        }
    }
}
