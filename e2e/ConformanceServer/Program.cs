using PushServer.EngineIO;

// Serves what the Engine.IO and Socket.IO protocol test-suites expect, on 127.0.0.1.
// Usage: ConformanceServer engineio|socketio [--port 3000] [--allow-eio3]
var mode = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)) ?? "engineio";
var port = ReadOption(args, "--port") ?? "3000";
var allowEio3 = args.Contains("--allow-eio3");

var builder = WebApplication.CreateSlimBuilder();
builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
builder.Logging.SetMinimumLevel(LogLevel.Warning);
var app = builder.Build();

switch (mode)
{
    case "engineio":
        // Suite settings: fast heartbeat so its timeout tests finish quickly, any origin allowed.
        app.MapEngineIO("/engine.io", new EchoHandler(), options =>
        {
            options.PingInterval = TimeSpan.FromMilliseconds(300);
            options.PingTimeout = TimeSpan.FromMilliseconds(200);
            options.MaxHttpBufferSize = 1_000_000;
            options.Cors.Origins.Add("*");
            options.AllowEIO3 = allowEio3;
        });
        break;
    default:
        Console.Error.WriteLine($"unknown mode '{mode}': expected engineio or socketio");
        return 2;
}

await app.RunAsync();
return 0;

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
