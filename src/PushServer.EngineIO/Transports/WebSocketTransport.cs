using System.Buffers;
using System.Net.WebSockets;
using PushServer.EngineIO.Protocol;
using PushServer.EngineIO.Sessions;

namespace PushServer.EngineIO.Transports;

/// <summary>
/// The WebSocket transport: one Engine.IO packet per WebSocket message. A read loop feeds the session; a
/// writer loop drains its queue. When it joins an existing polling session it first runs the upgrade probe.
/// </summary>
internal sealed class WebSocketTransport : ISessionTransport
{
    /// <summary>
    /// The reference closes with a bare close frame (the client sees 1005). .NET cannot send a close frame
    /// without a code (Empty would put the reserved 1005 on the wire), so the server closes with 1000.
    /// </summary>
    internal const WebSocketCloseStatus ServerCloseStatus = WebSocketCloseStatus.NormalClosure;

    private readonly WebSocket _socket;
    private readonly EngineSession _session;
    private readonly CancellationTokenSource _stop = new();
    private int _writerIdle = 1;
    private int _closeSent;
    private ITimer? _closeHandshakeTimer;
    private ITimer? _sendDeadline;

    /// <summary>
    /// The first receive buffer once a frame has arrived: most Engine.IO packets fit, and a larger message doubles it.
    /// </summary>
    private const int InitialReceiveBufferSize = 4096;

    /// <summary>How long the client has to answer the server's close frame before the socket is dropped.</summary>
    private static readonly TimeSpan CloseHandshakeTimeout = TimeSpan.FromSeconds(5);

    public WebSocketTransport(WebSocket socket, EngineSession session)
    {
        _socket = socket;
        _session = session;
    }

    public string Name => "websocket";

    public bool IsWritableNow => Volatile.Read(ref _writerIdle) == 1 && _socket.State == WebSocketState.Open;

    public void OnQueueSignal()
    {
        // The writer loop waits on the queue itself.
    }

    public void OnSessionClosed()
    {
        // Nothing to do here: closing the session completed its queue, so the writer loop flushes what is left
        // and sends the close frame; the reader then ends with the client's answering close frame.
    }

    /// <summary>Serves a session that was opened over this WebSocket: writer and reader until either ends.</summary>
    public async Task RunAsync()
    {
        var writer = RunWriterAsync();
        await RunReaderAsync().ConfigureAwait(false);
        await writer.ConfigureAwait(false);
        await CloseSocketAsync().ConfigureAwait(false);
        _closeHandshakeTimer?.Dispose();
        _sendDeadline?.Dispose();
    }

    /// <summary>
    /// Serves an upgrade of a polling session: answers <c>2probe</c> with <c>3probe</c>, and on <c>5</c> takes
    /// the session over. Anything else, or no <c>5</c> within upgradeTimeout, ends the probe and polling carries on.
    /// </summary>
    public async Task RunUpgradeAsync()
    {
        // On timeout the probe socket is closed with a close frame; cancelling a pending receive instead
        // would abort the socket without a close handshake.
        using var deadline = _session.Time.CreateTimer(
            static state => _ = ((WebSocketTransport)state!).SendCloseFrameAsync(), this, _session.Options.UpgradeTimeout, Timeout.InfiniteTimeSpan);
        var upgraded = false;
        try
        {
            while (!upgraded)
            {
                var message = await ReceiveMessageAsync(_stop.Token).ConfigureAwait(false);
                if (message is not { } packet || Volatile.Read(ref _closeSent) == 1)
                {
                    break;
                }
                if (packet.Type == EnginePacketType.Ping && packet.IsProbe)
                {
                    if (!_session.BeginUpgrade())
                    {
                        break;
                    }
                    await SendAsync(EnginePacket.PongProbe, _stop.Token).ConfigureAwait(false);
                }
                else if (packet.Type == EnginePacketType.Upgrade)
                {
                    upgraded = _session.CompleteUpgrade(this);
                    if (!upgraded)
                    {
                        break;
                    }
                }
                else
                {
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or IOException)
        {
            // The probe socket failed: the upgrade simply does not happen.
        }

        if (!upgraded)
        {
            _session.CancelUpgrade();
            await CloseSocketAsync().ConfigureAwait(false);
            _sendDeadline?.Dispose();
            return;
        }
        await RunAsync().ConfigureAwait(false);
    }

    private async Task RunReaderAsync()
    {
        var reason = EngineCloseReason.TransportClose;
        try
        {
            while (_session.CurrentState != SessionState.Closed)
            {
                var message = await ReceiveMessageAsync(_stop.Token).ConfigureAwait(false);
                if (message is not { } packet)
                {
                    break;
                }
                await _session.ReceiveAsync(packet).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // The session ended on our side: control flow.
        }
        catch (Exception ex) when (ex is WebSocketException or IOException)
        {
            // The connection broke: the writer cannot send anything either.
            reason = EngineCloseReason.TransportError;
            EngineLog.TransportEnded(_session.Logger, _session.Id, ex.Message);
            _stop.Cancel();
        }
        if (_session.CurrentState == SessionState.Closing)
        {
            _session.Finish();
        }
        _session.Abort(reason);
    }

    private async Task RunWriterAsync()
    {
        try
        {
            var reader = _session.Outbound;
            while (await reader.WaitToReadAsync(_stop.Token).ConfigureAwait(false))
            {
                Volatile.Write(ref _writerIdle, 0);
                while (_session.TryDequeue(out var packet))
                {
                    await SendAsync(packet, _stop.Token).ConfigureAwait(false);
                }
                Volatile.Write(ref _writerIdle, 1);
            }
            // The queue was completed: the session is closing. The server's close is a WebSocket close frame,
            // never an Engine.IO close packet; the reader then waits for the client's answering close frame.
            await SendCloseFrameAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or IOException)
        {
            // The socket went away; stop the reader too, it reports why.
            _stop.Cancel();
        }
    }

    /// <summary>Sends the server's close frame once.</summary>
    private async Task SendCloseFrameAsync()
    {
        if (Interlocked.Exchange(ref _closeSent, 1) == 1)
        {
            return;
        }
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                await _socket.CloseOutputAsync(ServerCloseStatus, null, CancellationToken.None).ConfigureAwait(false);
                // A client that never answers the close frame must not hold the socket forever.
                _closeHandshakeTimer = _session.Time.CreateTimer(
                    static state => ((WebSocketTransport)state!)._stop.Cancel(), this, CloseHandshakeTimeout, Timeout.InfiniteTimeSpan);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException)
        {
            // Already gone.
        }
    }

    /// <summary>
    /// Sends one packet, giving up after <see cref="EngineIOOptions.WebSocketSendTimeout"/>: a client that stopped
    /// reading fills the TCP window and the write never completes, so the session closes with
    /// <see cref="EngineCloseReason.WriteTimeout"/> and the socket is aborted.
    /// </summary>
    private async Task SendAsync(EnginePacket packet, CancellationToken token)
    {
        var timeout = _session.Options.WebSocketSendTimeout;
        if (timeout <= TimeSpan.Zero || timeout == Timeout.InfiniteTimeSpan)
        {
            await SendFrameAsync(packet, token).ConfigureAwait(false);
            return;
        }
        _sendDeadline ??= _session.Time.CreateTimer(
            static state => ((WebSocketTransport)state!).OnSendTimeout(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _sendDeadline.Change(timeout, Timeout.InfiniteTimeSpan);
        try
        {
            await SendFrameAsync(packet, token).ConfigureAwait(false);
        }
        finally
        {
            _sendDeadline.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
    }

    private void OnSendTimeout()
    {
        EngineLog.WriteTimedOut(_session.Logger, _session.Id, _session.Options.WebSocketSendTimeout);
        EngineMetrics.SlowConsumer(EngineCloseReason.WriteTimeout);
        _session.Abort(EngineCloseReason.WriteTimeout);
        _stop.Cancel();
        _socket.Abort();
    }

    private Task SendFrameAsync(EnginePacket packet, CancellationToken token)
    {
        if (!packet.IsBinary)
        {
            return _socket.SendAsync(packet.TextFrame, WebSocketMessageType.Text, true, token).AsTask();
        }
        if (!_session.SupportsBinary)
        {
            // b64=1: the client cannot take binary frames, so the packet travels as base64 text
            // (v3 keeps the type digit: b4AQID; v4 has none: bAQID).
            var prefix = _session.Protocol == EngineProtocolVersion.V3 ? "b4" : "b";
            var text = System.Text.Encoding.ASCII.GetBytes(prefix + packet.Base64);
            return _socket.SendAsync(text, WebSocketMessageType.Text, true, token);
        }
        var frame = _session.Protocol == EngineProtocolVersion.V4 ? packet.BinaryFrameV4 : packet.BinaryFrameV3;
        return _socket.SendAsync(frame, WebSocketMessageType.Binary, true, token).AsTask();
    }

    /// <summary>
    /// Reads one whole WebSocket message and decodes it. Null when the peer closed. A message longer than
    /// maxHttpBufferSize closes the socket with 1009 and the session with <c>transport error</c>; an
    /// undecodable one closes the session with <c>parse error</c>.
    /// </summary>
    private async Task<InboundPacket?> ReceiveMessageAsync(CancellationToken token)
    {
        // A zero-byte read first, as SignalR's WebSocket transport does: an idle connection then waits holding no
        // receive buffer, and one is rented only once a frame has arrived.
        var first = await _socket.ReceiveAsync(Memory<byte>.Empty, token).ConfigureAwait(false);
        if (first.MessageType == WebSocketMessageType.Close)
        {
            return null;
        }
        if (first.EndOfMessage)
        {
            // An empty message: nothing more to read.
            return Decode([], first.MessageType);
        }
        var limit = _session.Options.MaxHttpBufferSize;
        var buffer = ArrayPool<byte>.Shared.Rent(InitialReceiveBufferSize);
        long reserved = 0;
        try
        {
            var length = 0;
            while (true)
            {
                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
                var result = await _socket.ReceiveAsync(buffer.AsMemory(length), token).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return null;
                }
                length += result.Count;
                if (length > limit)
                {
                    EngineLog.ProtocolViolation(_session.Logger, _session.Id, $"message longer than maxHttpBufferSize ({limit} bytes)");
                    await _socket.CloseOutputAsync(WebSocketCloseStatus.MessageTooBig, null, CancellationToken.None).ConfigureAwait(false);
                    _session.Abort(EngineCloseReason.TransportError);
                    return null;
                }
                if (!result.EndOfMessage)
                {
                    // Bytes held across reads count against the budget all connections share.
                    if (!_session.Store.TryReservePending(result.Count, _session.Options.MaxPendingWebSocketBytes))
                    {
                        EngineLog.PendingBytesExceeded(_session.Logger, _session.Id, _session.Options.MaxPendingWebSocketBytes);
                        EngineMetrics.Limit("pending_websocket_bytes");
                        await _socket.CloseOutputAsync(WebSocketCloseStatus.MessageTooBig, null, CancellationToken.None).ConfigureAwait(false);
                        _session.Abort(EngineCloseReason.TransportError);
                        return null;
                    }
                    reserved += result.Count;
                    continue;
                }
                return Decode(buffer.AsSpan(0, length), result.MessageType);
            }
        }
        finally
        {
            _session.Store.ReleasePending(reserved);
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private InboundPacket? Decode(ReadOnlySpan<byte> data, WebSocketMessageType type)
    {
        var ok = type == WebSocketMessageType.Text
            ? PacketDecoder.TryDecodeText(data, _session.Protocol, out var packet)
            : PacketDecoder.TryDecodeBinaryFrame(data, _session.Protocol, out packet);
        if (!ok)
        {
            _session.OnParseError("malformed WebSocket message");
            return null;
        }
        return packet;
    }

    private async Task CloseSocketAsync()
    {
        try
        {
            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                // Answer a client's close with its own code, as WebSocket peers do.
                var status = _socket.State == WebSocketState.CloseReceived && _socket.CloseStatus is { } received && received != WebSocketCloseStatus.Empty ? received : ServerCloseStatus;
                await _socket.CloseOutputAsync(status, null, CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            // Already gone.
        }
    }
}
