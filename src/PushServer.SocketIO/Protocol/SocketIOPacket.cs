using System.Text.Json;

namespace PushServer.SocketIO.Protocol;

/// <summary>A decoded inbound packet. The JSON payload still points into the received buffer.</summary>
internal sealed class SocketIOPacket
{
    public const long NoAckId = -1;

    public SocketIOPacket(SocketIOPacketType type, string nsp, long ackId, JsonDocument? payload, int attachmentCount)
    {
        Type = type;
        Namespace = nsp;
        AckId = ackId;
        Payload = payload;
        Attachments = attachmentCount == 0 ? [] : new ReadOnlyMemory<byte>[attachmentCount];
    }

    public SocketIOPacketType Type { get; }

    /// <summary>The namespace exactly as sent; for protocol v4 CONNECT it may carry a query string (<c>/admin?token=abc</c>).</summary>
    public string Namespace { get; }

    /// <summary>The ack id, or <see cref="NoAckId"/>.</summary>
    public long AckId { get; }

    public JsonDocument? Payload { get; }

    /// <summary>Binary attachments in placeholder order; filled as binary messages arrive.</summary>
    public ReadOnlyMemory<byte>[] Attachments { get; }
}
