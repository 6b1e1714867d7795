using Microsoft.Extensions.Logging;
using PushServer.SocketIO.Adapters;

namespace PushServer.SocketIO.Tests.Server;

/// <summary>
/// Code the server starts without waiting for it, a connection handler or an adapter's init, may fail at once or later:
/// either way the failure is logged and the connection goes on.
/// </summary>
public class UnawaitedFailureTests
{
    [Fact]
    public async Task A_connection_handler_that_throws_is_logged_and_the_next_handler_and_the_socket_go_on()
    {
        var server = new TestServer();
        var nextRan = false;
        server.Io.OnConnection(_ => throw new InvalidOperationException("connection handler bug 5d1e"));
        server.Io.OnConnection(_ => nextRan = true);

        var (session, socket) = await server.ConnectAsync();

        Assert.True(nextRan);
        Assert.True(socket.Connected);
        Assert.True(session.IsOpen);
        Assert.Contains(TestLog.AtLeast(LogLevel.Error),
            e => e.Exception?.Message == "connection handler bug 5d1e" && e.EventId == 3011);
    }

    [Fact]
    public async Task A_connection_handler_that_fails_after_an_await_is_logged()
    {
        var server = new TestServer();
        server.Io.OnConnection(async _ =>
        {
            await Task.Yield();
            throw new InvalidOperationException("async connection handler bug 0b7c");
        });

        var (session, _) = await server.ConnectAsync();

        var (eventId, exception) = await server.Errors.Logged.DefaultTimeout();
        Assert.Equal(3011, eventId);
        Assert.Equal("async connection handler bug 0b7c", exception?.Message);
        Assert.True(session.IsOpen);
    }

    [Fact]
    public async Task An_adapter_whose_init_fails_later_is_logged_and_its_namespace_still_serves()
    {
        var server = new TestServer(adapters: new FailingInitAdapterFactory());

        var (eventId, exception) = await server.Errors.Logged.DefaultTimeout();
        var (session, socket) = await server.ConnectAsync();

        Assert.Equal(3020, eventId);
        Assert.Equal("adapter init bug 4e2a", exception?.Message);
        Assert.True(socket.Connected);
        Assert.True(session.IsOpen);
    }

    private sealed class FailingInitAdapterFactory : ISocketIOAdapterFactory
    {
        public SocketIOAdapter Create(SocketIONamespace nsp) => new FailingInitAdapter(nsp);
    }

    private sealed class FailingInitAdapter(SocketIONamespace nsp) : InMemoryAdapter(nsp)
    {
        public override async ValueTask InitAsync(CancellationToken cancellationToken)
        {
            await Task.Yield();
            throw new InvalidOperationException("adapter init bug 4e2a");
        }
    }
}
