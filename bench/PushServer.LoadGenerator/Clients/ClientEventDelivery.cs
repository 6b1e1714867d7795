namespace PushServer.LoadGenerator.Clients;

/// <summary>The part of reading a frame that is the same on every transport: what the scenario hears of it.</summary>
internal static class ClientEventDelivery
{
    /// <summary>
    /// Hands a connect, a <c>chat message</c> or an ack to <paramref name="events"/>; other kinds (open, ping, close)
    /// are the transport's to handle and are ignored here.
    /// </summary>
    public static void Deliver(this IClientEvents events, FrameKind kind, ReadOnlySpan<byte> payload, long ackId)
    {
        switch (kind)
        {
            case FrameKind.Connected:
                events.OnConnected();
                break;
            case FrameKind.ChatMessage:
                events.OnChatMessage(payload);
                break;
            case FrameKind.Ack:
                events.OnAck(ackId);
                break;
        }
    }
}
