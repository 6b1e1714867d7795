namespace PushServer.SocketIO.Protocol;

/// <summary>What feeding one Engine.IO message to the decoder produced.</summary>
internal enum DecodeStatus
{
    /// <summary>A whole packet is ready.</summary>
    Complete,
    /// <summary>A binary packet header was read; its attachments are still to come.</summary>
    NeedsAttachments,
    /// <summary>The input broke the protocol; the connection must be closed with <c>parse error</c>.</summary>
    Error,
}
