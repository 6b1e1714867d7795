using PushServer.Configuration;
using PushServer.EngineIO;
using PushServer.SocketIO;

namespace PushServer.Tests.Cli;

/// <summary>The limit keys of the EngineIO and SocketIO sections reach the library options the server runs with.</summary>
public sealed class LimitSettingsTests
{
    [Fact]
    public void Defaults_are_the_library_defaults()
    {
        var engine = new EngineIOOptions();
        new EngineIOSettings().ApplyTo(engine);
        var library = new EngineIOOptions();
        Assert.Equal(library.WebSocketSendTimeout, engine.WebSocketSendTimeout);
        Assert.Equal(library.TimerCoalescing, engine.TimerCoalescing);
        Assert.Equal(library.MaxSessions, engine.MaxSessions);
        Assert.Equal(library.MaxWebSocketConnections, engine.MaxWebSocketConnections);
        Assert.Equal(library.MaxHandshakesPerSecondPerIp, engine.MaxHandshakesPerSecondPerIp);
        Assert.Equal(library.MaxInboundPacketsPerSecond, engine.MaxInboundPacketsPerSecond);
        Assert.Equal(library.InboundPacketBurst, engine.InboundPacketBurst);
        Assert.Equal(library.MaxPendingWebSocketBytes, engine.MaxPendingWebSocketBytes);
        Assert.Empty(engine.TrustedProxies);

        var socketIO = new SocketIOOptions();
        new SocketIOSettings().ApplyTo(socketIO);
        Assert.Equal(SocketIOOptions.DefaultMaxNamespaceLength, socketIO.MaxNamespaceLength);
        Assert.Equal(SocketIOOptions.DefaultMaxEventNameLength, socketIO.MaxEventNameLength);
        Assert.Equal(SocketIOOptions.DefaultMaxRoomsPerSocket, socketIO.MaxRoomsPerSocket);
    }

    [Fact]
    public void Configured_values_are_applied()
    {
        var engine = new EngineIOOptions();
        new EngineIOSettings
        {
            WebSocketSendTimeout = 0,
            TimerCoalescing = 0,
            MaxSessions = 7,
            MaxWebSocketConnections = 6,
            MaxHandshakesPerSecondPerIp = 5,
            MaxInboundPacketsPerSecond = 4,
            InboundPacketBurst = 3,
            MaxPendingWebSocketBytes = 2_000_000,
            TrustedProxies = ["10.0.0.0/8", " 192.0.2.7 ", "2001:db8::/32", "::1"],
        }.ApplyTo(engine);
        Assert.Equal(Timeout.InfiniteTimeSpan, engine.WebSocketSendTimeout);
        Assert.Equal(TimeSpan.Zero, engine.TimerCoalescing);
        Assert.Equal(7, engine.MaxSessions);
        Assert.Equal(6, engine.MaxWebSocketConnections);
        Assert.Equal(5, engine.MaxHandshakesPerSecondPerIp);
        Assert.Equal(4, engine.MaxInboundPacketsPerSecond);
        Assert.Equal(3, engine.InboundPacketBurst);
        Assert.Equal(2_000_000, engine.MaxPendingWebSocketBytes);
        Assert.Equal(
            [System.Net.IPNetwork.Parse("10.0.0.0/8"), System.Net.IPNetwork.Parse("192.0.2.7/32"), System.Net.IPNetwork.Parse("2001:db8::/32"), System.Net.IPNetwork.Parse("::1/128")],
            engine.TrustedProxies);

        var socketIO = new SocketIOOptions();
        new SocketIOSettings { MaxNamespaceLength = 9, MaxEventNameLength = 8, MaxRoomsPerSocket = 2 }.ApplyTo(socketIO);
        Assert.Equal(9, socketIO.MaxNamespaceLength);
        Assert.Equal(8, socketIO.MaxEventNameLength);
        Assert.Equal(2, socketIO.MaxRoomsPerSocket);
    }
}
