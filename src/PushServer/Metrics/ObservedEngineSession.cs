using PushServer.EngineIO;

namespace PushServer.Metrics;

/// <summary>
/// An <see cref="IEngineSession"/> that defers everything to the session it wraps and reports each packet the layer
/// above sends, queued or dropped: the base of the wrappers that count traffic (metrics, the Admin UI's charts).
/// </summary>
internal abstract class ObservedEngineSession(IEngineSession inner) : IEngineSession
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
        OnSent(packet, queued);
        return queued;
    }

    public bool SendVolatile(EnginePacket packet)
    {
        var queued = inner.SendVolatile(packet);
        OnSent(packet, queued);
        return queued;
    }

    public void Close(EngineCloseReason reason = EngineCloseReason.ForcedClose) => inner.Close(reason);

    /// <summary>Called after each send with whether the packet was queued (false: dropped, not sent).</summary>
    protected abstract void OnSent(EnginePacket packet, bool queued);
}
