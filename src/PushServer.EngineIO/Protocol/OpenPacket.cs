using System.Buffers;
using System.Text.Json;

namespace PushServer.EngineIO.Protocol;

/// <summary>Builds the handshake packet: <c>0{"sid":…,"upgrades":[…],"pingInterval":…,"pingTimeout":…,"maxPayload":…}</c>.</summary>
internal static class OpenPacket
{
    public static EnginePacket Create(string sid, bool offerWebSocketUpgrade, EngineIOOptions options)
    {
        var buffer = new ArrayBufferWriter<byte>(160);
        using (var json = new Utf8JsonWriter(buffer))
        {
            // Key order matches the reference server, which some clients' tests compare literally.
            json.WriteStartObject();
            json.WriteString("sid", sid);
            json.WriteStartArray("upgrades");
            if (offerWebSocketUpgrade)
            {
                json.WriteStringValue("websocket");
            }
            json.WriteEndArray();
            json.WriteNumber("pingInterval", (long)options.PingInterval.TotalMilliseconds);
            json.WriteNumber("pingTimeout", (long)options.PingTimeout.TotalMilliseconds);
            json.WriteNumber("maxPayload", options.MaxHttpBufferSize);
            json.WriteEndObject();
        }
        return EnginePacket.Control(EnginePacketType.Open, System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan));
    }
}
