using PushServer.EngineIO;

namespace PushServer.SocketIO.Protocol;

/// <summary>
/// A Socket.IO packet encoded for the wire: one Engine.IO text message, then one binary message per attachment.
/// Immutable, so one instance is sent to every recipient of a broadcast.
/// </summary>
public sealed class EncodedPacket
{
    /// <summary>Wraps already encoded Engine.IO packets.</summary>
    public EncodedPacket(EnginePacket text, IReadOnlyList<EnginePacket> attachments)
    {
        Text = text;
        Attachments = attachments;
    }

    /// <summary>The text message: header and JSON payload.</summary>
    public EnginePacket Text { get; }

    /// <summary>The binary attachments, in placeholder order; empty for a plain packet.</summary>
    public IReadOnlyList<EnginePacket> Attachments { get; }

    /// <summary>Bytes the packet takes in a client's outbound queue: the text message and every attachment.</summary>
    internal long Size
    {
        get
        {
            long size = Text.Size;
            // Indexed: a foreach over the interface would allocate an enumerator on every broadcast.
            for (var i = 0; i < Attachments.Count; i++)
            {
                size += Attachments[i].Size;
            }
            return size;
        }
    }
}
