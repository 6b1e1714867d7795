using System.Text;

namespace PushServer.LoadGenerator.Clients;

/// <summary>The few Engine.IO / Socket.IO text frames the load generator needs to recognise and build.</summary>
internal static class WireText
{
    public static readonly byte[] ChatMessagePrefix = "42[\"chat message\",\""u8.ToArray();
    public static readonly byte[] Ping = "2"u8.ToArray();
    public static readonly byte[] Pong = "3"u8.ToArray();
    public static readonly byte[] ConnectDefault = "40"u8.ToArray();

    /// <summary>
    /// Parses one Engine.IO message text (without packet separators) and reports what matters:
    /// open, ping, the namespace CONNECT reply, chat messages and acks.
    /// </summary>
    public static FrameKind Classify(ReadOnlySpan<byte> frame, out ReadOnlySpan<byte> payload, out long ackId)
    {
        payload = default;
        ackId = -1;
        if (frame.IsEmpty)
        {
            return FrameKind.Other;
        }
        switch (frame[0])
        {
            case (byte)'0':
                return FrameKind.Open;
            case (byte)'2':
                return FrameKind.Ping;
            case (byte)'3':
                return FrameKind.Pong;
            case (byte)'1':
                return FrameKind.Close;
            case (byte)'4':
                break;
            default:
                return FrameKind.Other;
        }
        if (frame.Length >= 2 && frame[1] == (byte)'0')
        {
            return FrameKind.Connected;
        }
        if (frame.StartsWith(ChatMessagePrefix))
        {
            var rest = frame[ChatMessagePrefix.Length..];
            var end = rest.IndexOf((byte)'"');
            payload = end < 0 ? rest : rest[..end];
            return FrameKind.ChatMessage;
        }
        if (frame.Length >= 3 && frame[1] == (byte)'3')
        {
            long id = 0;
            var i = 2;
            for (; i < frame.Length && frame[i] is >= (byte)'0' and <= (byte)'9'; i++)
            {
                id = id * 10 + (frame[i] - '0');
            }
            ackId = i > 2 ? id : -1;
            return FrameKind.Ack;
        }
        return FrameKind.Other;
    }

    /// <summary><c>42&lt;id&gt;["echo",&lt;id&gt;]</c>: an echo emit asking for an ack.</summary>
    public static byte[] EchoEmit(long ackId) => Encoding.ASCII.GetBytes($"42{ackId}[\"echo\",{ackId}]");

    /// <summary>The open packet's pingInterval (25 s when absent, 100 ms at the least): when a v3 client pings.</summary>
    public static TimeSpan ReadPingInterval(ReadOnlySpan<byte> open)
    {
        var key = "\"pingInterval\":"u8;
        var at = open.IndexOf(key);
        long ms = 25_000;
        if (at >= 0)
        {
            ms = 0;
            foreach (var b in open[(at + key.Length)..])
            {
                if (b is < (byte)'0' or > (byte)'9')
                {
                    break;
                }
                ms = ms * 10 + (b - '0');
            }
        }
        return TimeSpan.FromMilliseconds(Math.Max(ms, 100));
    }
}

internal enum FrameKind
{
    Other,
    Open,
    Ping,
    Pong,
    Close,
    Connected,
    ChatMessage,
    Ack,
}
