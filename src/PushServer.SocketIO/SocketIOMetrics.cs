using System.Diagnostics.Metrics;

namespace PushServer.SocketIO;

/// <summary>
/// The Socket.IO layer's instruments, on the <c>PushServer.SocketIO</c> <see cref="Meter"/>: listen with
/// OpenTelemetry's <c>AddMeter("PushServer.SocketIO")</c> or a <see cref="MeterListener"/>.
/// </summary>
public static class SocketIOMetrics
{
    /// <summary>The meter name.</summary>
    public const string MeterName = "PushServer.SocketIO";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>
    /// <c>pushserver.socketio.limit_rejections</c>: packets refused (their connection closed) or joins refused by a
    /// limit, tagged <c>limit</c> (<c>max_attachments</c>, <c>max_json_depth</c>, <c>max_namespace_length</c>,
    /// <c>max_event_name_length</c>, <c>max_rooms_per_socket</c>), or broadcasts refused before anything was sent
    /// (<c>max_outbound_packet_bytes</c>).
    /// </summary>
    public static readonly Counter<long> LimitRejections =
        Meter.CreateCounter<long>("pushserver.socketio.limit_rejections", "{event}", "Packets or joins refused by a limit");

    internal static void Limit(string limit) =>
        LimitRejections.Add(1, new KeyValuePair<string, object?>("limit", limit));
}
