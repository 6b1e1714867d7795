using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Connections;
using PushServer.EngineIO.Handshakes;
using PushServer.EngineIO.Sessions;
using PushServer.EngineIO.Transports;

namespace PushServer.EngineIO.Hosting;

/// <summary>
/// Kestrel connection middleware that accepts Engine.IO WebSockets before the HTTP layer. Through HTTP, every
/// upgraded connection keeps Kestrel's request objects (the HTTP/1.1 connection, header collections, the request
/// and response streams and their state machines: about 5 KB) for its whole life, and every frame passes through the
/// request and response streams. Here the first request of a connection is read off the wire; when it is a plain
/// WebSocket upgrade the server would accept (see <see cref="EngineServer.TryTakeUpgrade"/>), it is answered with
/// 101 and the WebSocket runs on the connection's pipes. Anything else, including every request the server would
/// refuse, is left unread and handed to Kestrel's HTTP layer, which serves it as before.
/// </summary>
internal sealed class ConnectionWebSocketAcceptor
{
    /// <summary>
    /// How long a new connection may stay silent before it is handed to Kestrel, whose own keep-alive timeout then
    /// applies: the acceptor never holds a connection that sends nothing.
    /// </summary>
    internal static readonly TimeSpan FirstBytesTimeout = TimeSpan.FromSeconds(10);

    private static readonly byte[] SwitchingProtocols = Encoding.ASCII.GetBytes(
        "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Accept: ");

    private readonly string _prefix;
    private readonly Func<EngineServer> _server;
    private readonly Func<bool> _accepting;

    public ConnectionWebSocketAcceptor(string prefix, Func<EngineServer> server, Func<bool> accepting)
    {
        _prefix = prefix;
        _server = server;
        _accepting = accepting;
    }

    /// <summary>An upgrade request this server takes on, and where the request's head ends.</summary>
    internal readonly record struct TakenUpgrade(EngineServer Server, WebSocketUpgradeRequest Request, EngineServer.ConnectionUpgrade Upgrade, int HeadLength);

    public async Task OnConnectionAsync(ConnectionContext connection, ConnectionDelegate next)
    {
        var server = _server();
        var input = connection.Transport.Input;
        ReadResult? first;
        try
        {
            first = await ReadFirstAsync(input, server.Deadlines).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException)
        {
            // The client reset or the server aborted the connection before a request arrived: nothing to serve.
            return;
        }
        if (first is not { } result)
        {
            await next(connection).ConfigureAwait(false);
            return;
        }
        var remoteAddress = (connection.RemoteEndPoint as IPEndPoint)?.Address;
        if (!TryTake(result.Buffer, remoteAddress, out var taken))
        {
            // Not ours: nothing consumed or examined, so Kestrel reads the same bytes at once.
            input.AdvanceTo(result.Buffer.Start);
            await next(connection).ConfigureAwait(false);
            return;
        }
        input.AdvanceTo(result.Buffer.GetPosition(taken.HeadLength));

        try
        {
            await WriteSwitchingProtocolsAsync(connection.Transport.Output, taken.Request.AcceptKey()).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException)
        {
            // Gone before the answer: nothing was opened yet.
            return;
        }
        var stream = new ConnectionStream(connection);
        var socket = CreateWebSocket(stream);
        stream.Owner = socket;
        await server.ServeUpgradeAsync(taken.Upgrade, taken.Request, remoteAddress, socket).ConfigureAwait(false);
    }

    /// <summary>
    /// Decides on a connection's first bytes: true when they hold a whole WebSocket upgrade request for this path
    /// that the server accepts now (see <see cref="EngineServer.TryTakeUpgrade"/>).
    /// </summary>
    internal bool TryTake(in ReadOnlySequence<byte> firstBytes, IPAddress? remoteAddress, out TakenUpgrade taken)
    {
        taken = default;
        var server = _server();
        if (!WebSocketUpgradeRequest.TryParse(firstBytes, out var request, out var headLength)
            || !request!.Path.StartsWith(_prefix, StringComparison.Ordinal)
            || !_accepting()
            || !server.TryTakeUpgrade(request, remoteAddress, out var upgrade))
        {
            return false;
        }
        taken = new TakenUpgrade(server, request, upgrade, headLength);
        return true;
    }

    /// <summary>The server side of a WebSocket over <paramref name="stream"/>, once its 101 was written.</summary>
    internal static WebSocket CreateWebSocket(Stream stream) =>
        // The session's transport owns the socket and disposes it; a socket the client failed with a bad frame stays
        // undisposed, so ending the connection afterwards closes it gracefully after its close frame.
        WebSocket.CreateFromStream(stream, new WebSocketCreationOptions
        {
            IsServer = true,
            // Engine.IO has its own heartbeat; WebSocket-level pings would only add traffic.
            KeepAliveInterval = TimeSpan.Zero,
        });

    /// <summary>The 101 answer to an accepted upgrade, head included.</summary>
    internal static byte[] SwitchingProtocolsResponse(string acceptKey)
    {
        var response = new byte[SwitchingProtocols.Length + acceptKey.Length + 4];
        SwitchingProtocols.CopyTo(response, 0);
        var written = SwitchingProtocols.Length + Encoding.ASCII.GetBytes(acceptKey, response.AsSpan(SwitchingProtocols.Length));
        "\r\n\r\n"u8.CopyTo(response.AsSpan(written));
        return response;
    }

    /// <summary>
    /// Waits for the connection's first bytes, or hands it on after <see cref="FirstBytesTimeout"/>. Null when the
    /// connection is to go to Kestrel untouched (silent, closed, or its read cancelled), with the read already ended.
    /// </summary>
    private static async ValueTask<ReadResult?> ReadFirstAsync(PipeReader input, DeadlineScheduler deadlines)
    {
        var watch = new FirstReadWatch(input);
        deadlines.Set(watch, FirstBytesTimeout);
        ReadResult result;
        try
        {
            result = await input.ReadAsync().ConfigureAwait(false);
        }
        finally
        {
            deadlines.Clear(watch);
        }
        if (!watch.TryFinish())
        {
            // The deadline fired: either this read was cancelled by it, or the cancellation is still pending and
            // would end the next read. Take it here so Kestrel starts clean.
            if (!result.IsCanceled)
            {
                input.AdvanceTo(result.Buffer.Start);
                if (input.TryRead(out var pending))
                {
                    input.AdvanceTo(pending.Buffer.Start);
                }
                return null;
            }
        }
        if (result.IsCanceled || result.Buffer.IsEmpty)
        {
            input.AdvanceTo(result.Buffer.Start);
            return null;
        }
        return result;
    }

    private static async ValueTask WriteSwitchingProtocolsAsync(PipeWriter output, string acceptKey) =>
        await output.WriteAsync(SwitchingProtocolsResponse(acceptKey)).ConfigureAwait(false);

    /// <summary>The deadline of a connection's first read; firing cancels the read, at most once.</summary>
    private sealed class FirstReadWatch(PipeReader input) : IDeadlineOwner
    {
        private const int Waiting = 0;
        private const int Finished = 1;
        private const int Fired = 2;

        private int _state;
        private DeadlineSlot _deadline;

        public ref DeadlineSlot Deadline => ref _deadline;

        public void OnDeadline()
        {
            if (Interlocked.CompareExchange(ref _state, Fired, Waiting) == Waiting)
            {
                input.CancelPendingRead();
            }
        }

        /// <summary>True when the read finished before the deadline fired, which then never will.</summary>
        public bool TryFinish() => Interlocked.CompareExchange(ref _state, Finished, Waiting) == Waiting;
    }
}
