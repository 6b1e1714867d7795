using PushServer.EngineIO;

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

    /// <summary>Counts the packets the layer above queues; dropped ones are not sent, so not counted.</summary>
    private sealed class CountedSession(IEngineSession inner, AdminUiTraffic traffic) : IEngineSession
    {
        public string Id => inner.Id;

        public EngineProtocolVersion Protocol => inner.Protocol;

        public string TransportName => inner.TransportName;

        public EngineHandshake Handshake => inner.Handshake;

        public bool IsOpen => inner.IsOpen;

        public object? State
        {
            get => inner.State;
            set => inner.State = value;
        }

        public bool Send(EnginePacket packet) => Counted(packet, inner.Send(packet));

        public bool SendVolatile(EnginePacket packet) => Counted(packet, inner.SendVolatile(packet));

        public void Close(EngineCloseReason reason = EngineCloseReason.ForcedClose) => inner.Close(reason);

        private bool Counted(EnginePacket packet, bool queued)
        {
            if (queued)
            {
                traffic.Sent(packet.Data.Length);
            }
            return queued;
        }
    }
}
