using System.Diagnostics.Metrics;

namespace PushServer.EngineIO;

/// <summary>
/// The Engine.IO layer's instruments, on the <c>PushServer.EngineIO</c> <see cref="Meter"/>: listen with
/// OpenTelemetry's <c>AddMeter("PushServer.EngineIO")</c> or a <see cref="MeterListener"/>.
/// </summary>
public static class EngineMetrics
{
    /// <summary>The meter name.</summary>
    public const string MeterName = "PushServer.EngineIO";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>
    /// <c>pushserver.engineio.slow_consumer_disconnects</c>: sessions closed because the client did not read fast
    /// enough, tagged <c>reason</c> (<c>outbound queue full</c> or <c>write timeout</c>).
    /// </summary>
    public static readonly Counter<long> SlowConsumerDisconnects =
        Meter.CreateCounter<long>("pushserver.engineio.slow_consumer_disconnects", "{session}", "Sessions closed because the client read too slowly");

    /// <summary>
    /// <c>pushserver.engineio.limit_rejections</c>: requests refused or sessions closed by a limit, tagged <c>limit</c>
    /// (<c>max_sessions</c>, <c>max_websockets</c>, <c>handshake_rate</c>, <c>inbound_rate</c>, <c>pending_websocket_bytes</c>).
    /// </summary>
    public static readonly Counter<long> LimitRejections =
        Meter.CreateCounter<long>("pushserver.engineio.limit_rejections", "{event}", "Requests refused or sessions closed by a limit");

    internal static void SlowConsumer(EngineCloseReason reason) =>
        SlowConsumerDisconnects.Add(1, new KeyValuePair<string, object?>("reason", reason.ToReasonString()));

    internal static void Limit(string limit) =>
        LimitRejections.Add(1, new KeyValuePair<string, object?>("limit", limit));
}
