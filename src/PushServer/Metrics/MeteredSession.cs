using PushServer.EngineIO;

namespace PushServer.Metrics;

/// <summary>An <see cref="IEngineSession"/> that counts the packets sent through it and otherwise defers to the session.</summary>
internal sealed class MeteredSession(IEngineSession inner, PushServerMetrics metrics) : ObservedEngineSession(inner)
{
    protected override void OnSent(EnginePacket packet, bool queued) => metrics.PacketSent(packet, queued);
}
