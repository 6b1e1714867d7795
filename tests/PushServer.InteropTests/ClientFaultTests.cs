using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PushServer.EngineIO;
using PushServer.SocketIO;
using PushServer.Testing;

namespace PushServer.InteropTests;

/// <summary>
/// Real socket.io-client processes that die or hang without a close: the server finds out through the transport
/// or, at the latest, through the heartbeat (on virtual time here), and its session, socket and room counts return
/// to where they were before the client came.
/// </summary>
public sealed class ClientFaultTests : IAsyncLifetime
{
    private const string Room = "fault-room";
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z"));
    private readonly ConcurrentDictionary<string, TaskCompletionSource<string>> _disconnects = new(StringComparer.Ordinal);
    private readonly List<NodeClient> _clients = [];
    private KestrelTestServer _server = null!;
    private EngineServer _engine = null!;
    private SocketIOServer _io = null!;

    public async Task InitializeAsync()
    {
        _server = await KestrelTestServer.StartAsync(
            services =>
            {
                services.AddSingleton<TimeProvider>(_time);
                services.AddSocketIO();
            },
            app =>
            {
                // The engine is built here rather than by MapSocketIO so the test can read its session count.
                _io = app.Services.GetRequiredService<SocketIOServer>();
                _io.OnConnection(socket =>
                {
                    socket.Join(Room);
                    socket.OnDisconnect(reason => Disconnect(socket.Id).TrySetResult(reason));
                });
                _engine = new EngineServer(_io.ConnectionHandler, new EngineIOOptions(), _time);
                app.MapEngineIO("/socket.io", _engine);
            });
    }

    public async Task DisposeAsync()
    {
        foreach (var client in _clients)
        {
            // A stopped process must run again to take its kill and let the fixture reap it.
            client.Signal("CONT", ignoreFailure: true);
            await client.DisposeAsync();
        }
        await _server.DisposeAsync();
    }

    private TaskCompletionSource<string> Disconnect(string socketId) =>
        _disconnects.GetOrAdd(socketId, _ => new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously));

    private async Task<(int Sessions, int Sockets, int Rooms)> CountsAsync() =>
        (_engine.SessionCount, _io.Sockets.Sockets.Count, (await _io.Sockets.Adapter.AllRoomsAsync(CancellationToken.None)).Count);

    private async Task<(NodeClient Client, string SocketId)> ConnectAsync(string transport)
    {
        var client = await NodeClient.StartSocketIOAsync(new SocketIOClientConfig(_server.BaseAddress.GetLeftPart(UriPartial.Authority))
        {
            Transports = [transport],
            Reconnection = false,
        });
        _clients.Add(client);
        var connect = await client.WaitForEventAsync("connect");
        return (client, connect.GetProperty("id").GetString()!);
    }

    private async Task AwaitCountsAsync((int, int, int) expected)
    {
        // The counts change on the server's own threads after the close; this waits for them, bounded.
        var deadline = Stopwatch.StartNew();
        var counts = await CountsAsync();
        while (counts != expected && deadline.Elapsed < TestTimeouts.Default)
        {
            await Task.Delay(20);
            counts = await CountsAsync();
        }
        Assert.Equal(expected, counts);
    }

    [Theory]
    [InlineData("websocket")]
    [InlineData("polling")]
    public async Task A_hung_client_is_closed_by_the_heartbeat_and_leaves_no_session_socket_or_room(string transport)
    {
        var baseline = await CountsAsync();
        var (client, socketId) = await ConnectAsync(transport);
        await AwaitCountsAsync((baseline.Sessions + 1, baseline.Sockets + 1, baseline.Rooms + 2));

        // SIGSTOP: the process keeps its TCP connections open but answers nothing, like a peer that vanished.
        client.Signal("STOP");
        _time.Advance(_engine.Options.PingInterval);
        _time.Advance(_engine.Options.PingTimeout);

        Assert.Equal("ping timeout", await Disconnect(socketId).Task.WaitAsync(TestTimeouts.Default));
        await AwaitCountsAsync(baseline);
    }

    [Theory]
    [InlineData("websocket")]
    [InlineData("polling")]
    public async Task A_killed_client_is_cleaned_up_by_the_transport_or_the_heartbeat(string transport)
    {
        var baseline = await CountsAsync();
        var (client, socketId) = await ConnectAsync(transport);
        await AwaitCountsAsync((baseline.Sessions + 1, baseline.Sockets + 1, baseline.Rooms + 2));

        // SIGKILL: the kernel closes the sockets with no Engine.IO or WebSocket close. A reset transport is seen at
        // once; a polling client killed between two polls is only found by the heartbeat, so the clock moves too.
        client.Signal("KILL");
        _time.Advance(_engine.Options.PingInterval);
        _time.Advance(_engine.Options.PingTimeout);

        var reason = await Disconnect(socketId).Task.WaitAsync(TestTimeouts.Default);
        Assert.Contains(reason, new[] { "transport close", "transport error", "ping timeout" });
        await AwaitCountsAsync(baseline);
    }
}
