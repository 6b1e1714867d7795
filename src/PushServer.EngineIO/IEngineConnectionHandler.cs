namespace PushServer.EngineIO;

/// <summary>
/// The one seam through which Engine.IO reaches the layer above it. Calls for one session never overlap:
/// <see cref="OnOpenedAsync"/> completes before the first message is delivered, messages arrive in order,
/// and <see cref="OnClosed"/> comes exactly once, last.
/// </summary>
public interface IEngineConnectionHandler
{
    /// <summary>A session finished its handshake. Its open packet has been queued before this call.</summary>
    ValueTask OnOpenedAsync(IEngineSession session);

    /// <summary>
    /// A text message packet arrived. <paramref name="utf8"/> is the packet data without the type digit,
    /// in a buffer that now belongs to the handler.
    /// </summary>
    ValueTask OnTextAsync(IEngineSession session, ReadOnlyMemory<byte> utf8);

    /// <summary>A binary message packet arrived, in a buffer that now belongs to the handler.</summary>
    ValueTask OnBinaryAsync(IEngineSession session, ReadOnlyMemory<byte> data);

    /// <summary>The session closed. Called once per session, after every message has been delivered.</summary>
    void OnClosed(IEngineSession session, EngineCloseReason reason);

    /// <summary>
    /// The session moved from long-polling to WebSocket (engine.io's <c>upgrade</c> event);
    /// <see cref="IEngineSession.TransportName"/> is <c>websocket</c> from now on. Called at most once per session, on
    /// the upgrading connection's thread; unlike the other calls it may overlap a message still arriving by polling, or a
    /// close under way. Does nothing unless implemented.
    /// </summary>
    void OnUpgraded(IEngineSession session)
    {
    }
}
