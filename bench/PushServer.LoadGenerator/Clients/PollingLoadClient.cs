using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;

namespace PushServer.LoadGenerator.Clients;

/// <summary>
/// A raw Socket.IO client over HTTP long-polling, never upgrading: the handshake GET, then one GET held open at a
/// time for what the server queues, and a POST for each packet sent (<c>40</c>, pongs for v4, pings for v3, echo
/// emits). Payloads are split as the protocol frames them: records separated by 0x1E (v4) or <c>length:packet</c>
/// records (v3; the generator's packets are ASCII, so lengths count bytes).
/// </summary>
internal sealed class PollingLoadClient : ILoadClient
{
    private static readonly MediaTypeHeaderValue TextPlain = new("text/plain") { CharSet = "UTF-8" };

    private readonly HttpClient _http;
    private readonly string _url;
    private readonly int _eio;
    private readonly IClientEvents _events;
    private readonly CancellationTokenSource _stop = new();
    // One POST at a time, as socket.io-client sends: engine.io answers a POST that arrives while another of the same
    // session is being read with 400 and closes the session (a pong and an echo emit would otherwise overlap).
    private readonly SemaphoreSlim _posting = new(1, 1);
    private Task _pollLoop = Task.CompletedTask;
    private Task _pingLoop = Task.CompletedTask;

    private PollingLoadClient(HttpClient http, string url, int eio, IClientEvents events)
    {
        _http = http;
        _url = url;
        _eio = eio;
        _events = events;
    }

    /// <summary>
    /// One HTTP client for a whole fleet: unlimited connections to the server, each bound to the next source address.
    /// </summary>
    public static HttpClient CreateHttpClient(SourceAddressPool sources) => new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = int.MaxValue,
        UseProxy = false,
        AutomaticDecompression = DecompressionMethods.None,
        ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                socket.Bind(new IPEndPoint(sources.Next(), 0));
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    })
    {
        // A held poll lasts up to pingInterval (25 s) before the server's ping releases it.
        Timeout = TimeSpan.FromMinutes(2),
    };

    public static async Task<PollingLoadClient> ConnectAsync(
        HttpClient http, IPEndPoint server, int eio, IClientEvents events, CancellationToken cancellationToken)
    {
        var handshake = $"http://{server}/socket.io/?EIO={eio}&transport=polling";
        var body = await http.GetByteArrayAsync(handshake, cancellationToken).ConfigureAwait(false);
        var packets = SplitPayload(body, eio);
        if (packets.Count == 0 || packets[0].Length == 0 || packets[0][0] != (byte)'0')
        {
            throw new IOException("no open packet in the handshake answer: " + Encoding.ASCII.GetString(body, 0, Math.Min(body.Length, 120)));
        }
        var open = packets[0];
        var sid = ReadString(open, "\"sid\":\""u8) ?? throw new IOException("no sid in the open packet");
        var client = new PollingLoadClient(http, handshake + "&sid=" + Uri.EscapeDataString(sid), eio, events);
        if (eio == 4)
        {
            await client.PostAsync(WireText.ConnectDefault, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            client._pingLoop = client.PingLoopAsync(WireText.ReadPingInterval(open));
        }
        foreach (var packet in packets.Skip(1))
        {
            await client.HandleAsync(packet).ConfigureAwait(false);
        }
        client._pollLoop = client.PollLoopAsync();
        return client;
    }

    private async Task PollLoopAsync()
    {
        Exception? error = null;
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var body = await _http.GetByteArrayAsync(_url + "&t=" + Environment.TickCount64, _stop.Token).ConfigureAwait(false);
                var closed = false;
                foreach (var packet in SplitPayload(body, _eio))
                {
                    closed |= !await HandleAsync(packet).ConfigureAwait(false);
                }
                if (closed)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Disposed: control flow.
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or TaskCanceledException)
        {
            error = ex;
        }
        _events.OnClosed(error);
    }

    /// <summary>Handles one packet; false when the server closed the session.</summary>
    private async Task<bool> HandleAsync(byte[] packet)
    {
        var kind = WireText.Classify(packet, out var payload, out var ackId);
        switch (kind)
        {
            case FrameKind.Ping:
                await PostAsync(WireText.Pong, _stop.Token).ConfigureAwait(false);
                break;
            case FrameKind.Close:
                return false;
            default:
                _events.Deliver(kind, payload, ackId);
                break;
        }
        return true;
    }

    /// <summary>v3 clients ping the server every pingInterval; the pong comes back in a poll.</summary>
    private Task PingLoopAsync(TimeSpan interval) =>
        V3PingLoop.RunAsync(interval, (packet, token) => new ValueTask(PostAsync(packet, token)), _stop.Token);

    public ValueTask SendEchoAsync(long ackId, CancellationToken cancellationToken) =>
        new(PostAsync(WireText.EchoEmit(ackId), cancellationToken));

    private async Task PostAsync(byte[] packet, CancellationToken cancellationToken)
    {
        byte[] body = packet;
        if (_eio == 3)
        {
            body = [.. Encoding.ASCII.GetBytes(packet.Length + ":"), .. packet];
        }
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = TextPlain;
        await _posting.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var response = await _http.PostAsync(_url, content, cancellationToken).ConfigureAwait(false);
            response.EnsureSuccessStatusCode();
        }
        finally
        {
            _posting.Release();
        }
    }

    private static List<byte[]> SplitPayload(byte[] body, int eio)
    {
        var packets = new List<byte[]>();
        var rest = body.AsSpan();
        if (eio == 4)
        {
            foreach (var range in rest.Split((byte)0x1E))
            {
                packets.Add(rest[range].ToArray());
            }
            return packets;
        }
        while (!rest.IsEmpty)
        {
            var colon = rest.IndexOf((byte)':');
            if (colon <= 0 || !int.TryParse(rest[..colon], out var length) || colon + 1 + length > rest.Length)
            {
                throw new IOException("malformed v3 payload");
            }
            packets.Add(rest.Slice(colon + 1, length).ToArray());
            rest = rest[(colon + 1 + length)..];
        }
        return packets;
    }

    private static string? ReadString(ReadOnlySpan<byte> json, ReadOnlySpan<byte> key)
    {
        var at = json.IndexOf(key);
        if (at < 0)
        {
            return null;
        }
        var rest = json[(at + key.Length)..];
        var end = rest.IndexOf((byte)'"');
        return end < 0 ? null : Encoding.ASCII.GetString(rest[..end]);
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        try
        {
            await Task.WhenAll(_pollLoop, _pingLoop).ConfigureAwait(false);
        }
        catch
        {
            // Already reported through OnClosed.
        }
        _stop.Dispose();
    }
}
