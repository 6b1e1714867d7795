using PushServer.EngineIO;
using PushServer.Metrics;

namespace PushServer.AdminUi;

/// <summary>
/// Counts, for the Admin UI's charts, the Engine.IO sessions and packets crossing between the engine and the layer
/// above (wrapping the chain the way the Prometheus metering does); installed only when the Admin UI is enabled, so a
/// server without it pays nothing. It changes nothing that passes.
/// </summary>
internal sealed class AdminUiTrafficHandler(IEngineConnectionHandler inner, AdminUiTraffic traffic) : IEngineConnectionHandler
{
    /// <inheritdoc />
    public ValueTask OnOpenedAsync(IEngineSession session)
    {
        traffic.Connected();
        return inner.OnOpenedAsync(new CountedSession(session, traffic));
    }

    /// <inheritdoc />
    public ValueTask OnTextAsync(IEngineSession session, ReadOnlyMemory<byte> utf8)
    {
        traffic.Received(utf8.Length);
        return inner.OnTextAsync(session, utf8);
    }

    /// <inheritdoc />
    public ValueTask OnBinaryAsync(IEngineSession session, ReadOnlyMemory<byte> data)
    {
        traffic.Received(data.Length);
        return inner.OnBinaryAsync(session, data);
    }

    /// <inheritdoc />
    public void OnClosed(IEngineSession session, EngineCloseReason reason)
    {
        traffic.Disconnected(reason.ToReasonString());
        inner.OnClosed(session, reason);
    }

    /// <inheritdoc />
    public void OnUpgraded(IEngineSession session)
    {
        inner.OnUpgraded(session);
        traffic.OnUpgraded(session.Id);
    }

    /// <summary>Counts the packets the layer above queues; dropped ones are not sent, so not counted.</summary>
    private sealed class CountedSession(IEngineSession inner, AdminUiTraffic traffic) : ObservedEngineSession(inner)
    {
        protected override void OnSent(EnginePacket packet, bool queued)
        {
            if (queued)
            {
                traffic.Sent(packet.Data.Length);
            }
        }
    }
}
