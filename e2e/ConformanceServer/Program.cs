using PushServer.EngineIO;
using PushServer.SocketIO;

// Serves what the Engine.IO and Socket.IO protocol test-suites expect, on 127.0.0.1.
// Usage: ConformanceServer engineio|socketio [--port 3000] [--allow-eio3]
var mode = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)) ?? "engineio";
var port = ReadOption(args, "--port") ?? "3000";
var allowEio3 = args.Contains("--allow-eio3");

var builder = WebApplication.CreateSlimBuilder();
builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
builder.Logging.SetMinimumLevel(LogLevel.Warning);
// The Socket.IO suite expects an Engine.IO connection that joins no namespace to be closed after 1 s.
builder.Services.AddSocketIO(options => options.ConnectTimeout = TimeSpan.FromMilliseconds(1000));
var app = builder.Build();

switch (mode)
{
    case "engineio":
        app.MapEngineIO("/engine.io", new EchoHandler(), ApplySuiteSettings);
        break;
    case "socketio":
        app.MapSocketIO("/socket.io", ConfigureSocketIOSuite, ApplySuiteSettings);
        break;
    default:
        Console.Error.WriteLine($"unknown mode '{mode}': expected engineio or socketio");
        return 2;
}

await app.RunAsync();
return 0;

// Both suites' settings: fast heartbeat so their timeout tests finish quickly, any origin allowed.
void ApplySuiteSettings(EngineIOOptions options)
{
    options.PingInterval = TimeSpan.FromMilliseconds(300);
    options.PingTimeout = TimeSpan.FromMilliseconds(200);
    // The suites poll exactly pingInterval + pingTimeout after the handshake and expect the session gone.
    options.TimerCoalescing = TimeSpan.Zero;
    options.MaxHttpBufferSize = 1_000_000;
    options.Cors.Origins.Add("*");
    options.AllowEIO3 = allowEio3;
}

// What socket.io's protocol suite expects: "/" and "/custom" report the handshake's auth right after
// connecting; "/" echoes "message" as "message-back" and acks "message-with-ack" with the same arguments;
// any other namespace is refused with "Invalid namespace" (the server's default).
static void ConfigureSocketIOSuite(SocketIOServer io)
{
    io.OnConnection(socket =>
    {
        socket.Emit("auth", socket.Handshake.Auth);
        socket.On("message", e => socket.Emit("message-back", e.Args.ToEmitArguments()));
        socket.On("message-with-ack", e => e.Ack(e.Args.ToEmitArguments()));
    });
    io.Of("/custom").OnConnection(socket => socket.Emit("auth", socket.Handshake.Auth));
}

static string? ReadOption(string[] args, string name)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
}

/// <summary>Echoes every message back unchanged: text as text, binary as binary.</summary>
internal sealed class EchoHandler : IEngineConnectionHandler
{
    public ValueTask OnOpenedAsync(IEngineSession session) => ValueTask.CompletedTask;

    public ValueTask OnTextAsync(IEngineSession session, ReadOnlyMemory<byte> utf8)
    {
        session.Send(EnginePacket.Text(utf8.Span));
        return ValueTask.CompletedTask;
    }

    public ValueTask OnBinaryAsync(IEngineSession session, ReadOnlyMemory<byte> data)
    {
        session.Send(EnginePacket.Binary(data.Span));
        return ValueTask.CompletedTask;
    }

    public void OnClosed(IEngineSession session, EngineCloseReason reason)
    {
    }
}
