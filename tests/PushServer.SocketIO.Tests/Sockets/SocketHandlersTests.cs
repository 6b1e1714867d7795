namespace PushServer.SocketIO.Tests.Sockets;

public class SocketHandlersTests
{
    private static readonly Func<SocketIOEvent, ValueTask> s_chat = _ => default;
    private static readonly Func<SocketIOEvent, ValueTask> s_echo = _ => default;
    private static readonly Action<string> s_gone = _ => { };

    // Each test starts from its own root, as each namespace does.
    private readonly SocketHandlers _empty = SocketHandlers.CreateEmpty();

    private SocketHandlers RegisterTheServersHandlers() =>
        _empty.WithEvent("chat", s_chat).WithEvent("echo", s_echo).WithDisconnect(s_gone);

    [Fact]
    public void Sockets_registering_the_same_delegates_in_the_same_order_share_one_table()
    {
        var first = RegisterTheServersHandlers();
        var second = RegisterTheServersHandlers();

        Assert.Same(first, second);
        Assert.Same(s_chat, Assert.Single(first.Find("chat")!));
        Assert.Same(s_echo, Assert.Single(first.Find("echo")!));
        Assert.Same(s_gone, Assert.Single(first.Disconnect));
    }

    [Fact]
    public void A_socket_with_a_delegate_of_its_own_gets_its_own_table_and_leaves_the_shared_ones_as_they_were()
    {
        var shared = RegisterTheServersHandlers();
        Func<SocketIOEvent, ValueTask> own = _ => default;

        var mine = shared.WithEvent("chat", own);

        Assert.NotSame(shared, mine);
        Assert.Equal([s_chat, own], mine.Find("chat")!);
        Assert.Same(s_chat, Assert.Single(shared.Find("chat")!));
        Assert.Same(shared, RegisterTheServersHandlers());
    }

    [Fact]
    public void Handlers_of_one_event_run_in_registration_order_and_names_are_matched_exactly()
    {
        Func<SocketIOEvent, ValueTask> second = _ => default;
        var table = _empty.WithEvent("a", s_chat).WithEvent("b", s_echo).WithEvent("a", second);

        Assert.Equal([s_chat, second], table.Find("a")!);
        Assert.Null(table.Find("A"));
        Assert.Null(table.Find("c"));
    }

    [Fact]
    public void Removing_an_event_keeps_the_others()
    {
        var table = RegisterTheServersHandlers().WithoutEvent("chat");

        Assert.Null(table.Find("chat"));
        Assert.Same(s_echo, Assert.Single(table.Find("echo")!));
        Assert.Same(s_gone, Assert.Single(table.Disconnect));
        Assert.Same(table, table.WithoutEvent("never registered"));
    }

    [Fact]
    public void Each_kind_of_handler_lands_in_its_own_list()
    {
        Action<SocketIOEvent> any = _ => { };
        Action<string, IReadOnlyList<object?>> outgoing = (_, _) => { };
        Func<SocketIOEvent, CancellationToken, ValueTask> middleware = (_, _) => default;
        Action<string> disconnecting = _ => { };
        Action<Exception> error = _ => { };

        var table = _empty.WithAny(any).WithAnyOutgoing(outgoing).WithPacketMiddleware(middleware)
            .WithDisconnecting(disconnecting).WithDisconnect(s_gone).WithError(error);

        Assert.Same(any, Assert.Single(table.Any));
        Assert.Same(outgoing, Assert.Single(table.AnyOutgoing));
        Assert.Same(middleware, Assert.Single(table.PacketMiddlewares));
        Assert.Same(disconnecting, Assert.Single(table.Disconnecting));
        Assert.Same(s_gone, Assert.Single(table.Disconnect));
        Assert.Same(error, Assert.Single(table.Error));
        Assert.Empty(table.Events);
    }
}
