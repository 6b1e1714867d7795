using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PushServer.EngineIO;
using PushServer.SocketIO;
using PushServer.Testing;

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

/// <summary>Whole WebSocket messages as text, with a timeout.</summary>
public static class Frames
{
    public static async Task<(WebSocketMessageType Type, byte[] Data)> ReceiveAsync(WebSocket socket, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TestTimeouts.Default);
        var buffer = new byte[64 * 1024];
        var output = new MemoryStream();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, cts.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return (WebSocketMessageType.Close, []);
            }
            output.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return (result.MessageType, output.ToArray());
            }
        }
    }

    /// <summary>The next text frame, or <c>&lt;close&gt;</c>.</summary>
    public static async Task<string> ReceiveTextAsync(WebSocket socket)
    {
        var (type, data) = await ReceiveAsync(socket);
        return type == WebSocketMessageType.Close ? "<close>" : Encoding.UTF8.GetString(data);
    }

    /// <summary>Skips pings and other frames until one matches; <c>&lt;close&gt;</c> ends the wait too.</summary>
    public static async Task<string> ReceiveUntilAsync(WebSocket socket, Func<string, bool> match)
    {
        while (true)
        {
            var frame = await ReceiveTextAsync(socket);
            if (frame == "2")
            {
                await SendTextAsync(socket, "3");
                continue;
            }
            if (frame == "<close>" || match(frame))
            {
                return frame;
            }
        }
    }

    /// <summary>Reads until the server closes the connection (close frame or reset); answers pings meanwhile.</summary>
    public static async Task AssertClosedByServerAsync(WebSocket socket)
    {
        try
        {
            while (true)
            {
                var frame = await ReceiveTextAsync(socket);
                if (frame == "<close>")
                {
                    return;
                }
            }
        }
        catch (WebSocketException)
        {
            // Reset instead of a close frame: closed all the same.
        }
    }

    public static Task SendTextAsync(WebSocket socket, string text) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);

    public static Task SendBinaryAsync(WebSocket socket, byte[] data) =>
        socket.SendAsync(data, WebSocketMessageType.Binary, true, CancellationToken.None);
}

/// <summary>Raw TCP for what HttpClient will not send: half requests, resets, pipelined bytes.</summary>
public static class RawTcp
{
    public static async Task<Socket> ConnectAsync(IPEndPoint endPoint)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(endPoint);
        return socket;
    }

    public static Task SendAsync(Socket socket, string ascii) => socket.SendAsync(Encoding.ASCII.GetBytes(ascii));

    /// <summary>Closes with RST instead of FIN.</summary>
    public static void Reset(Socket socket)
    {
        socket.LingerState = new LingerOption(true, 0);
        socket.Close();
    }

    /// <summary>Reads until the peer closes or <paramref name="until"/> appears; returns what came.</summary>
    public static async Task<string> ReadAsync(Socket socket, string? until = null)
    {
        using var cts = new CancellationTokenSource(TestTimeouts.Default);
        var buffer = new byte[16 * 1024];
        var text = new StringBuilder();
        try
        {
            while (true)
            {
                var read = await socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token);
                if (read == 0)
                {
                    break;
                }
                text.Append(Encoding.Latin1.GetString(buffer, 0, read));
                if (until is not null && text.ToString().Contains(until, StringComparison.Ordinal))
                {
                    break;
                }
            }
        }
        catch (SocketException)
        {
            // Reset by the server: what came before is the answer.
        }
        return text.ToString();
    }

    /// <summary>A WebSocket upgrade request for <paramref name="query"/>.</summary>
    public static string UpgradeRequest(string query, string? extraHeaders = null) =>
        $"GET /socket.io/?{query} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n" + extraHeaders + "\r\n";

    /// <summary>
    /// A client frame (RFC 6455) with the given opcode and FIN bit, masked as clients must unless
    /// <paramref name="masked"/> is false.
    /// </summary>
    public static byte[] Frame(byte opcode, ReadOnlySpan<byte> payload, bool fin = true, bool masked = true)
    {
        if (!masked)
        {
            return UnmaskedFrame(opcode, payload, fin);
        }
        var header = new List<byte> { (byte)((fin ? 0x80 : 0) | opcode) };
        if (payload.Length < 126)
        {
            header.Add((byte)(0x80 | payload.Length));
        }
        else if (payload.Length <= ushort.MaxValue)
        {
            header.Add(0x80 | 126);
            header.Add((byte)(payload.Length >> 8));
            header.Add((byte)payload.Length);
        }
        else
        {
            header.Add(0x80 | 127);
            for (var i = 7; i >= 0; i--)
            {
                header.Add((byte)((long)payload.Length >> (8 * i)));
            }
        }
        byte[] mask = [1, 2, 3, 4];
        header.AddRange(mask);
        var frame = new byte[header.Count + payload.Length];
        header.CopyTo(frame);
        for (var i = 0; i < payload.Length; i++)
        {
            frame[header.Count + i] = (byte)(payload[i] ^ mask[i % 4]);
        }
        return frame;
    }

    /// <summary>A frame as a server would send it: no mask bit, no masking key.</summary>
    private static byte[] UnmaskedFrame(byte opcode, ReadOnlySpan<byte> payload, bool fin)
    {
        var masked = Frame(opcode, payload, fin);
        var lengthBytes = (masked[1] & 0x7F) switch { 126 => 2, 127 => 8, _ => 0 };
        var header = 2 + lengthBytes;
        var frame = new byte[header + payload.Length];
        masked.AsSpan(0, header).CopyTo(frame);
        frame[1] &= 0x7F;
        payload.CopyTo(frame.AsSpan(header));
        return frame;
    }
}
