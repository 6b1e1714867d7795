using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using PushServer.SocketIO.Adapters;

namespace PushServer.SocketIO.Tests;

/// <summary>A Socket.IO server on virtual time with fake sessions.</summary>
public sealed class TestServer
{
    public TestServer(Action<SocketIOOptions>? configure = null, ISocketIOAdapterFactory? adapters = null)
    {
        var options = new SocketIOOptions();
        configure?.Invoke(options);
        Time = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z"));
        var loggerFactory = LoggerFactory.Create(b => b.AddProvider(TestLog.Provider).AddProvider(Errors).SetMinimumLevel(LogLevel.Debug));
        Io = new SocketIOServer(Options.Create(options), adapters ?? new InMemoryAdapterFactory(), Time, loggerFactory);
    }

    public SocketIOServer Io { get; }

    public ErrorLogSignal Errors { get; } = new();

    public FakeTimeProvider Time { get; }

    public async Task<FakeEngineSession> OpenAsync(EngineProtocolVersion protocol = EngineProtocolVersion.V4)
    {
        var session = new FakeEngineSession(Io.ConnectionHandler, protocol);
        await session.OpenAsync();
        return session;
    }

    /// <summary>Opens a v5 session, joins <paramref name="nsp"/>, and returns it with its server socket.</summary>
    public async Task<(FakeEngineSession Session, SocketIOSocket Socket)> ConnectAsync(string nsp = "/", string auth = "")
    {
        var session = await OpenAsync();
        SocketIOSocket? socket = null;
        var namespaceObj = Io.Of(nsp);
        var before = namespaceObj.Sockets.Keys.ToHashSet();
        await session.ReceiveAsync("0" + (nsp == "/" ? "" : nsp + ",") + auth);
        socket = namespaceObj.Sockets.Values.Single(s => !before.Contains(s.Id));
        session.ClearSent();
        return (session, socket);
    }
}
