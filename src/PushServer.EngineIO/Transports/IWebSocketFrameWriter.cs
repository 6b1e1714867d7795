namespace PushServer.EngineIO.Transports;

/// <summary>
/// A connection a server WebSocket runs on that takes whole data frames from the transport, header included, beside
/// the WebSocket's own writes: a broadcast's frame is built once (see <see cref="EnginePacket.WebSocketFrame"/>) and
/// the same bytes go to every recipient, with no copy into a per-socket send buffer and no send lock of the
/// WebSocket's. Only for connections without compression, whose data frames are those bytes exactly.
/// </summary>
internal interface IWebSocketFrameWriter
{
    /// <summary>
    /// Writes one whole unmasked data frame, in order with everything else written to the connection. A frame written
    /// after the close frame is dropped.
    /// </summary>
    ValueTask WriteDataFrameAsync(ReadOnlyMemory<byte> frame);
}
