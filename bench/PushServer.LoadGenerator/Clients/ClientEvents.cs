namespace PushServer.LoadGenerator.Clients;

/// <summary>What a scenario wants to hear from its clients. Called on the clients' I/O threads: keep it cheap.</summary>
internal interface IClientEvents
{
    /// <summary>The client joined namespace <c>/</c>.</summary>
    void OnConnected();

    /// <summary>A <c>chat message</c> event arrived; its argument is the text the push carried.</summary>
    void OnChatMessage(ReadOnlySpan<byte> text);

    /// <summary>An ack for one of the client's emits arrived.</summary>
    void OnAck(long ackId);

    /// <summary>The connection ended (<paramref name="error"/> is null for a clean end).</summary>
    void OnClosed(Exception? error);
}
