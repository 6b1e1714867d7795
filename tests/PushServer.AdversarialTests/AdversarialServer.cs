using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PushServer.EngineIO;
using PushServer.SocketIO;

namespace PushServer.AdversarialTests;

/// <summary>
/// A real Kestrel server on 127.0.0.1:0 for one test, with short heartbeat and upgrade timers so that whatever a bad
/// client leaves behind is cleaned up within a second, and its own log collector so a test sees only its own entries.
/// <see cref="AssertHealthyAsync"/> is every test's last step: a fresh client is served, then every count returns to
/// zero, no HTTP request is left open, and nothing above Information was logged.
/// </summary>
public sealed class AdversarialServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<TestLogEntry> _log;
    private int _inFlight;

    private AdversarialServer(WebApplication app, EngineServer engine, ConcurrentQueue<TestLogEntry> log, Uri baseAddress, ConcurrentQueue<string> reasons)
    {
        DisconnectReasons = reasons;
        _app = app;
        Engine = engine;
        _log = log;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public EngineServer Engine { get; }

    public SocketIOServer Io => _app.Services.GetRequiredService<SocketIOServer>();

    public int InFlightRequests => Volatile.Read(ref _inFlight);

    private StrongBox<int> _kestrelConnections = new();

    /// <summary>Connections Kestrel has served so far; the WebSockets the listener takes itself are not among them.</summary>
    public int KestrelConnections => Volatile.Read(ref _kestrelConnections.Value);

    public IReadOnlyList<TestLogEntry> Log => [.. _log];

    /// <summary>Reasons server-side sockets gave when they disconnected, in order.</summary>
    public ConcurrentQueue<string> DisconnectReasons { get; }

    /// <summary>Waits until a socket disconnected with <paramref name="reason"/>.</summary>
    public Task WaitForDisconnectAsync(string reason) =>
        Eventually.TrueAsync(() => DisconnectReasons.Contains(reason), () => $"no disconnect with \"{reason}\" (saw: {string.Join(", ", DisconnectReasons)})");

    public HttpClient Http { get; } = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero, UseCookies = false })
    {
        Timeout = TimeSpan.FromSeconds(15),
    };

    public string Url(string query) => new Uri(BaseAddress, "socket.io/?" + query).ToString();

    public Uri WebSocketUri(string query) => new($"ws://{BaseAddress.Authority}/socket.io/?{query}");

    public IPEndPoint EndPoint => new(IPAddress.Loopback, BaseAddress.Port);

    public static async Task<AdversarialServer> StartAsync(
        Action<EngineIOOptions>? engine = null, Action<SocketIOOptions>? socketIO = null, Action<SocketIOServer>? configure = null,
        TimeProvider? time = null, EngineIOConnectionLimits? limits = null)
    {
        var log = new ConcurrentQueue<TestLogEntry>();
        var builder = WebApplication.CreateSlimBuilder();
        EngineServer? engineServer = null;
        // As the executable does: WebSockets the server accepts are taken off the bare socket, everything else
        // (refusals included) goes through Kestrel and MapEngineIO.
        var kestrelConnections = new StrongBox<int>();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0, o =>
        {
            o.Use(next => connection =>
            {
                Interlocked.Increment(ref kestrelConnections.Value);
                return next(connection);
            });
            o.UseEngineIOWebSockets("/socket.io", () => engineServer!, limits: limits);
        }));
        builder.WebHost.UseEngineIOSocketTransport();
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(new QueueLoggerProvider(log, LogLevel.Information));
        builder.Logging.SetMinimumLevel(LogLevel.Debug);
        if (time is not null)
        {
            // Socket.IO's timers (the connect timeout) on the same clock as the engine's.
            builder.Services.AddSingleton(time);
        }
        builder.Services.AddSocketIO(o =>
        {
            o.ConnectTimeout = TimeSpan.FromSeconds(2);
            socketIO?.Invoke(o);
        });
        var app = builder.Build();
        var io = app.Services.GetRequiredService<SocketIOServer>();
        var reasons = new ConcurrentQueue<string>();
        io.OnConnection(socket =>
        {
            socket.OnDisconnect(reasons.Enqueue);
            socket.On("echo", e => e.Ack(e.Args.ToEmitArguments()));
            socket.On("join", e =>
            {
                socket.Join(e.Args.GetString(0)!);
                e.Ack(socket.Rooms.Count);
            });
            socket.On("join-many", e =>
            {
                var count = e.Args[0].GetInt32();
                socket.Join(Enumerable.Range(0, count).Select(i => "room-" + i));
                e.Ack(socket.Rooms.Count);
            });
        });
        configure?.Invoke(io);

        var options = new EngineIOOptions
        {
            PingInterval = TimeSpan.FromMilliseconds(1000),
            PingTimeout = TimeSpan.FromMilliseconds(1000),
            // Long enough for a probe to finish on a loaded machine (the clock is real); short enough that the
            // tests of upgrades that never finish do not wait long.
            UpgradeTimeout = TimeSpan.FromSeconds(3),
            PollingCloseTimeout = TimeSpan.FromMilliseconds(500),
        };
        if (time is not null)
        {
            // On a virtual clock a coalescing gap holds a deadline armed just after a firing (a connection's head
            // deadline armed late on a busy machine) until the clock moves again, which a test's last Advance never
            // does: exact deadlines there. The real clock keeps the default.
            options.TimerCoalescing = TimeSpan.Zero;
        }
        engine?.Invoke(options);
        engineServer = new EngineServer(io.ConnectionHandler, options, time ?? TimeProvider.System, app.Services.GetRequiredService<ILoggerFactory>());
        AdversarialServer? self = null;
        app.Use(async (HttpContext context, RequestDelegate next) =>
        {
            Interlocked.Increment(ref self!._inFlight);
            try
            {
                await next(context);
            }
            finally
            {
                Interlocked.Decrement(ref self._inFlight);
            }
        });
        app.MapEngineIO("/socket.io", engineServer);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        self = new AdversarialServer(app, engineServer, log, new Uri(address.TrimEnd('/') + "/"), reasons) { _kestrelConnections = kestrelConnections };
        return self;
    }

    /// <summary>Opens a v4 WebSocket session and joins <c>/</c>; returns the socket id.</summary>
    public async Task<(ClientWebSocket Socket, string SocketId)> ConnectWebSocketAsync()
    {
        var socket = new ClientWebSocket();
        await socket.ConnectAsync(WebSocketUri("EIO=4&transport=websocket"), Timeout());
        Assert.StartsWith("0{", await Frames.ReceiveTextAsync(socket));
        await Frames.SendTextAsync(socket, "40");
        // Pings come every second here, so one may arrive first on a busy machine.
        var connect = await Frames.ReceiveUntilAsync(socket, f => f.StartsWith("40", StringComparison.Ordinal));
        Assert.StartsWith("40{", connect);
        return (socket, JsonDocument.Parse(connect[2..]).RootElement.GetProperty("sid").GetString()!);
    }

    /// <summary>Opens a v4 polling session; returns its sid.</summary>
    public async Task<string> OpenPollingAsync(string eio = "4")
    {
        var body = await Http.GetStringAsync(Url($"EIO={eio}&transport=polling"));
        var json = body[body.IndexOf('{')..];
        return JsonDocument.Parse(json).RootElement.GetProperty("sid").GetString()!;
    }

    /// <summary>
    /// Every test ends here: a fresh client connects and gets an ack; then sessions, WebSockets, sockets, rooms and
    /// open requests all return to zero; and, for a plain client mistake, nothing was logged above Information.
    /// </summary>
    public async Task AssertHealthyAsync(bool clientMistakeOnly = true)
    {
        var (socket, _) = await ConnectWebSocketAsync();
        await Frames.SendTextAsync(socket, "421[\"echo\",\"fresh\"]");
        Assert.Equal("431[\"fresh\"]", await Frames.ReceiveUntilAsync(socket, f => f.StartsWith("43", StringComparison.Ordinal)));
        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, Timeout());
        socket.Dispose();

        await Eventually.TrueAsync(() => Engine.SessionCount == 0, () => $"{Engine.SessionCount} Engine.IO sessions left");
        await Eventually.TrueAsync(() => Engine.WebSocketCount == 0, () => $"{Engine.WebSocketCount} WebSockets left");
        await Eventually.TrueAsync(() => Engine.PendingWebSocketBytes == 0, () => $"{Engine.PendingWebSocketBytes} pending WebSocket bytes left");
        await Eventually.TrueAsync(() => Io.Namespaces.All(n => n.Sockets.Count == 0), () => "sockets left");
        await Eventually.TrueAsync(
            () => Io.Namespaces.All(n => n.Adapter.GetSockets(new HashSet<string>()).Count == 0),
            () => "rooms left");
        await Eventually.TrueAsync(() => InFlightRequests == 0, () => $"{InFlightRequests} HTTP requests left open");
        if (clientMistakeOnly)
        {
            var loud = Log.Where(e => e.Level > LogLevel.Information).ToList();
            Assert.True(loud.Count == 0, "logged above Information: " + string.Join("; ", loud.Select(e => $"{e.Level} {e.Category} {e.EventId}: {e.Message} {e.Exception}")));
        }
    }

    public static CancellationToken Timeout() => new CancellationTokenSource(TestTimeouts.Default).Token;

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _app.StopAsync(stop.Token);
        }
        finally
        {
            await _app.DisposeAsync();
        }
    }
}

/// <summary>Waits for a condition the server reaches on its own (a timer, a closed socket), checking it often.</summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, Func<string> describe, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TestTimeouts.Default);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail("Not reached in time: " + describe());
            }
            await Task.Delay(20);
        }
    }
}
