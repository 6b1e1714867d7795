using System.Net;
using System.Net.Sockets;
using System.Text;

namespace PushServer.Testing;

/// <summary>Raw TCP for what HttpClient will not send: half requests, resets, pipelined bytes.</summary>
public static class RawTcp
{
    public static async Task<Socket> ConnectAsync(IPEndPoint endPoint)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(endPoint);
        return socket;
    }

    public static Task SendAsync(Socket socket, string ascii) => socket.SendAsync(Encoding.ASCII.GetBytes(ascii));

    /// <summary>Closes with RST instead of FIN.</summary>
    public static void Reset(Socket socket)
    {
        socket.LingerState = new LingerOption(true, 0);
        socket.Close();
    }

    /// <summary>Reads until the peer closes or <paramref name="until"/> appears; returns what came.</summary>
    public static async Task<string> ReadAsync(Socket socket, string? until = null)
    {
        using var cts = new CancellationTokenSource(TestTimeouts.Default);
        var buffer = new byte[16 * 1024];
        var text = new StringBuilder();
        try
        {
            while (true)
            {
                var read = await socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token);
                if (read == 0)
                {
                    break;
                }
                text.Append(Encoding.Latin1.GetString(buffer, 0, read));
                if (until is not null && text.ToString().Contains(until, StringComparison.Ordinal))
                {
                    break;
                }
            }
        }
        catch (SocketException)
        {
            // Reset by the server: what came before is the answer.
        }
        return text.ToString();
    }

    /// <summary>A WebSocket upgrade request for <paramref name="query"/>.</summary>
    public static string UpgradeRequest(string query, string? extraHeaders = null) =>
        $"GET /socket.io/?{query} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n" + extraHeaders + "\r\n";

    /// <summary>
    /// A client frame (RFC 6455) with the given opcode and FIN bit, masked as clients must unless
    /// <paramref name="masked"/> is false.
    /// </summary>
    public static byte[] Frame(byte opcode, ReadOnlySpan<byte> payload, bool fin = true, bool masked = true)
    {
        if (!masked)
        {
            return UnmaskedFrame(opcode, payload, fin);
        }
        var header = new List<byte> { (byte)((fin ? 0x80 : 0) | opcode) };
        if (payload.Length < 126)
        {
            header.Add((byte)(0x80 | payload.Length));
        }
        else if (payload.Length <= ushort.MaxValue)
        {
            header.Add(0x80 | 126);
            header.Add((byte)(payload.Length >> 8));
            header.Add((byte)payload.Length);
        }
        else
        {
            header.Add(0x80 | 127);
            for (var i = 7; i >= 0; i--)
            {
                header.Add((byte)((long)payload.Length >> (8 * i)));
            }
        }
        byte[] mask = [1, 2, 3, 4];
        header.AddRange(mask);
        var frame = new byte[header.Count + payload.Length];
        header.CopyTo(frame);
        for (var i = 0; i < payload.Length; i++)
        {
            frame[header.Count + i] = (byte)(payload[i] ^ mask[i % 4]);
        }
        return frame;
    }

    /// <summary>A frame as a server would send it: no mask bit, no masking key.</summary>
    private static byte[] UnmaskedFrame(byte opcode, ReadOnlySpan<byte> payload, bool fin)
    {
        var masked = Frame(opcode, payload, fin);
        var lengthBytes = (masked[1] & 0x7F) switch { 126 => 2, 127 => 8, _ => 0 };
        var header = 2 + lengthBytes;
        var frame = new byte[header + payload.Length];
        masked.AsSpan(0, header).CopyTo(frame);
        frame[1] &= 0x7F;
        payload.CopyTo(frame.AsSpan(header));
        return frame;
    }
}
