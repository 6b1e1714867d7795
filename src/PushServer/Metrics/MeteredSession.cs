using PushServer.EngineIO;

namespace PushServer.Metrics;

/// <summary>An <see cref="IEngineSession"/> that counts the packets sent through it and otherwise defers to the session.</summary>
internal sealed class MeteredSession(IEngineSession inner, PushServerMetrics metrics) : IEngineSession
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

    public bool Send(EnginePacket packet)
    {
        var queued = inner.Send(packet);
        metrics.PacketSent(packet, queued);
        return queued;
    }

    public bool SendVolatile(EnginePacket packet)
    {
        var queued = inner.SendVolatile(packet);
        metrics.PacketSent(packet, queued);
        return queued;
    }

    public void Close(EngineCloseReason reason = EngineCloseReason.ForcedClose) => inner.Close(reason);
}
