namespace PushServer.SocketIO.Protocol;

/// <summary>Event names socket.io keeps for itself: clients cannot send them and the server cannot emit them.</summary>
public static class ReservedEventNames
{
    /// <summary>True when <paramref name="name"/> is one of <c>connect</c>, <c>connect_error</c>, <c>disconnect</c>,
    /// <c>disconnecting</c>, <c>newListener</c>, <c>removeListener</c>.</summary>
    public static bool IsReserved(ReadOnlySpan<char> name) =>
        name is "connect" or "connect_error" or "disconnect" or "disconnecting" or "newListener" or "removeListener";

    /// <summary>The same check on a UTF-8 name, as read from the wire.</summary>
    public static bool IsReserved(ReadOnlySpan<byte> utf8) =>
        utf8.SequenceEqual("connect"u8) || utf8.SequenceEqual("connect_error"u8) || utf8.SequenceEqual("disconnect"u8)
        || utf8.SequenceEqual("disconnecting"u8) || utf8.SequenceEqual("newListener"u8) || utf8.SequenceEqual("removeListener"u8);

    /// <summary>The same check on a JSON string, without allocating it.</summary>
    public static bool IsReserved(System.Text.Json.JsonElement name) =>
        name.ValueEquals("connect"u8) || name.ValueEquals("connect_error"u8) || name.ValueEquals("disconnect"u8)
        || name.ValueEquals("disconnecting"u8) || name.ValueEquals("newListener"u8) || name.ValueEquals("removeListener"u8);

    /// <summary>Names a server cannot emit to other nodes with <c>serverSideEmit</c>: <c>connect</c>, <c>connection</c>, <c>new_namespace</c>.</summary>
    public static bool IsReservedForNamespace(string name) => name is "connect" or "connection" or "new_namespace";
}
