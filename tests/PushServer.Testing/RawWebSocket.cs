using System.Net;
using System.Net.Sockets;
using System.Text;
using Xunit;

namespace PushServer.Testing;

/// <summary>
/// A WebSocket client written frame by frame over a raw TCP socket, for what <c>ClientWebSocket</c> will not do:
/// fragments that never end, unmasked or reserved frames, a receive buffer of a few kilobytes that is never read.
/// </summary>
public sealed class RawWebSocket : IDisposable
{
    private readonly byte[] _pending = new byte[1 << 20];
    private int _pendingStart;
    private int _pendingEnd;

    private RawWebSocket(Socket socket) => Socket = socket;

    public Socket Socket { get; }

    /// <summary>Connects and upgrades; <paramref name="receiveBufferSize"/> shrinks the kernel's buffer before connecting.</summary>
    public static async Task<RawWebSocket> ConnectAsync(IPEndPoint endPoint, string query, int? receiveBufferSize = null, byte[]? sentWithRequest = null)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        if (receiveBufferSize is { } size)
        {
            socket.ReceiveBufferSize = size;
        }
        await socket.ConnectAsync(endPoint);
        var request = Encoding.ASCII.GetBytes(RawTcp.UpgradeRequest(query));
        await socket.SendAsync(sentWithRequest is null ? request : [.. request, .. sentWithRequest]);
        var raw = new RawWebSocket(socket);
        var head = await raw.ReadHeadAsync();
        Assert.True(head.StartsWith("HTTP/1.1 101", StringComparison.Ordinal), head);
        return raw;
    }

    private async Task<string> ReadHeadAsync()
    {
        using var cts = new CancellationTokenSource(TestTimeouts.Default);
        while (true)
        {
            var text = Encoding.Latin1.GetString(_pending, _pendingStart, _pendingEnd - _pendingStart);
            var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end >= 0)
            {
                _pendingStart += end + 4;
                return text[..end];
            }
            var read = await Socket.ReceiveAsync(_pending.AsMemory(_pendingEnd), SocketFlags.None, cts.Token);
            if (read == 0)
            {
                return text;
            }
            _pendingEnd += read;
        }
    }

    public Task SendFrameAsync(byte opcode, ReadOnlySpan<byte> payload, bool fin = true) =>
        Socket.SendAsync(RawTcp.Frame(opcode, payload, fin));

    public Task SendTextAsync(string text) => SendFrameAsync(0x1, Encoding.UTF8.GetBytes(text));

    /// <summary>The next frame from the server, or null when the connection ended (FIN or reset).</summary>
    public async Task<(byte Opcode, byte[] Payload)?> ReadFrameAsync()
    {
        using var cts = new CancellationTokenSource(TestTimeouts.Default);
        try
        {
            if (!await FillAsync(2, cts.Token))
            {
                return null;
            }
            var opcode = (byte)(_pending[_pendingStart] & 0x0F);
            long length = _pending[_pendingStart + 1] & 0x7F;
            var header = 2;
            if (length == 126)
            {
                if (!await FillAsync(4, cts.Token))
                {
                    return null;
                }
                length = (_pending[_pendingStart + 2] << 8) | _pending[_pendingStart + 3];
                header = 4;
            }
            else if (length == 127)
            {
                if (!await FillAsync(10, cts.Token))
                {
                    return null;
                }
                length = 0;
                for (var i = 0; i < 8; i++)
                {
                    length = (length << 8) | _pending[_pendingStart + 2 + i];
                }
                header = 10;
            }
            if (!await FillAsync(header + (int)length, cts.Token))
            {
                return null;
            }
            var payload = _pending.AsSpan(_pendingStart + header, (int)length).ToArray();
            _pendingStart += header + (int)length;
            return (opcode, payload);
        }
        catch (SocketException)
        {
            return null;
        }
    }

    /// <summary>The next text frame, skipping pings (answered) and other frames; null once the connection closed.</summary>
    public async Task<string?> ReadTextAsync()
    {
        while (await ReadFrameAsync() is { } frame)
        {
            if (frame.Opcode == 0x8)
            {
                return null;
            }
            if (frame.Opcode == 0x1)
            {
                var text = Encoding.UTF8.GetString(frame.Payload);
                if (text == "2")
                {
                    await SendTextAsync("3");
                    continue;
                }
                return text;
            }
        }
        return null;
    }

    /// <summary>Reads until the server ends the connection; the close frame's status code, or null for none (reset or FIN).</summary>
    public async Task<int?> ReadUntilClosedAsync()
    {
        while (await ReadFrameAsync() is { } frame)
        {
            if (frame.Opcode == 0x8)
            {
                return frame.Payload.Length >= 2 ? (frame.Payload[0] << 8) | frame.Payload[1] : null;
            }
        }
        return null;
    }

    private async Task<bool> FillAsync(int count, CancellationToken token)
    {
        if (_pendingStart + count > _pending.Length)
        {
            Array.Copy(_pending, _pendingStart, _pending, 0, _pendingEnd - _pendingStart);
            _pendingEnd -= _pendingStart;
            _pendingStart = 0;
        }
        while (_pendingEnd - _pendingStart < count)
        {
            var read = await Socket.ReceiveAsync(_pending.AsMemory(_pendingEnd), SocketFlags.None, token);
            if (read == 0)
            {
                return false;
            }
            _pendingEnd += read;
        }
        return true;
    }

    public void Reset() => RawTcp.Reset(Socket);

    public void Dispose() => Socket.Dispose();
}
