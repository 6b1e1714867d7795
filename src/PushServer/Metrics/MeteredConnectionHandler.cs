using PushServer.EngineIO;

namespace PushServer.Metrics;

/// <summary>
/// Sits between the Engine.IO endpoint and the Socket.IO layer and counts what crosses: sessions opened and closed,
/// packets in, and (through <see cref="MeteredSession"/>) packets out. It changes nothing that passes.
/// </summary>
internal sealed class MeteredConnectionHandler(IEngineConnectionHandler inner, PushServerMetrics metrics) : IEngineConnectionHandler
{
    /// <inheritdoc />
    public ValueTask OnOpenedAsync(IEngineSession session)
    {
        metrics.SessionOpened(session.TransportName, session.Protocol);
        // The layer above sends through the wrapper; its State lives on the real session, which the engine passes
        // to the other callbacks.
        return inner.OnOpenedAsync(new MeteredSession(session, metrics));
    }

    /// <inheritdoc />
    public ValueTask OnTextAsync(IEngineSession session, ReadOnlyMemory<byte> utf8)
    {
        metrics.PacketReceived(binary: false);
        return inner.OnTextAsync(session, utf8);
    }

    /// <inheritdoc />
    public ValueTask OnBinaryAsync(IEngineSession session, ReadOnlyMemory<byte> data)
    {
        metrics.PacketReceived(binary: true);
        return inner.OnBinaryAsync(session, data);
    }

    /// <inheritdoc />
    public void OnClosed(IEngineSession session, EngineCloseReason reason)
    {
        metrics.SessionClosed(reason);
        inner.OnClosed(session, reason);
    }

    /// <inheritdoc />
    public void OnUpgraded(IEngineSession session) => inner.OnUpgraded(session);
}
