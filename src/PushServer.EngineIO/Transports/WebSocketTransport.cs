using System.Buffers;
using System.Net.WebSockets;
using PushServer.EngineIO.Protocol;
using PushServer.EngineIO.Sessions;

namespace PushServer.EngineIO.Transports;

/// <summary>
/// The WebSocket transport: one Engine.IO packet per WebSocket message. A read loop feeds the session; a writer
/// drains its queue, started on the thread pool when packets are queued and gone again once the queue is empty, so an
/// idle connection keeps no writer waiting. When it joins an existing polling session it first runs the upgrade probe.
/// </summary>
internal sealed class WebSocketTransport : ISessionTransport, IThreadPoolWorkItem, IDeadlineOwner, IDisposable
{
    /// <summary>
    /// The reference closes with a bare close frame (the client sees 1005). .NET cannot send a close frame
    /// without a code (Empty would put the reserved 1005 on the wire), so the server closes with 1000.
    /// </summary>
    internal const WebSocketCloseStatus ServerCloseStatus = WebSocketCloseStatus.NormalClosure;

    private readonly WebSocket _socket;
    private readonly IWebSocketFrameWriter? _frames;
    private readonly EngineSession _session;
    private int _writer; // WriterIdle, WriterRunning or WriterStopped
    private int _stopping;
    private TaskCompletionSource? _writerStopped;
    private int _closeSent;
    private int _failedByClient; // 1 once the socket failed the connection over a bad frame and sent its close frame
    private ITimer? _closeHandshakeTimer;
    private DeadlineSlot _sendDeadline;
    private bool _drainAfterDispatch; // touched only by the reader, while it dispatches

    /// <summary>
    /// The transport whose reader is dispatching a packet on this thread. A packet that dispatch queues on the same
    /// transport (an ack, an echo) is then written by the reader once dispatch returns, instead of by a writer
    /// started on the thread pool: a request answered at once costs no thread switch.
    /// </summary>
    [ThreadStatic]
    private static WebSocketTransport? t_dispatching;

    /// <summary>
    /// Set by a caller that sends from a thread of its own, such as the heartbeat timer: the write is made right there
    /// (tried without blocking, see <see cref="SocketStream"/>) instead of by a thread-pool work item. On an idle
    /// server every heartbeat would otherwise wake a pool thread for one small write, which costs far more than it.
    /// </summary>
    [ThreadStatic]
    internal static bool t_writeOnCallingThread;

    private const int WriterIdle = 0;
    private const int WriterRunning = 1;
    private const int WriterStopped = 2;

    /// <summary>
    /// The first receive buffer once a frame has arrived: most Engine.IO packets fit, and a larger message doubles it.
    /// </summary>
    private const int InitialReceiveBufferSize = 4096;

    /// <summary>How long the client has to answer the server's close frame before the socket is dropped.</summary>
    private static readonly TimeSpan CloseHandshakeTimeout = TimeSpan.FromSeconds(5);

    /// <param name="socket">The accepted WebSocket.</param>
    /// <param name="session">The session it serves.</param>
    /// <param name="frames">
    /// The connection under <paramref name="socket"/> when it takes whole data frames (see
    /// <see cref="IWebSocketFrameWriter"/>): packets are then written to it as prebuilt frames, not through the socket.
    /// </param>
    public WebSocketTransport(WebSocket socket, EngineSession session, IWebSocketFrameWriter? frames = null)
    {
        _socket = socket;
        _session = session;
        _frames = frames;
    }

    public string Name => "websocket";

    public bool IsWritableNow => Volatile.Read(ref _writer) == WriterIdle && _socket.State == WebSocketState.Open;

    public void OnQueueSignal()
    {
        // One writer at a time; a signal while it runs is seen by its final look at the queue.
        if (Interlocked.CompareExchange(ref _writer, WriterRunning, WriterIdle) == WriterIdle)
        {
            if (t_dispatching == this)
            {
                _drainAfterDispatch = true;
                return;
            }
            if (t_writeOnCallingThread)
            {
                _ = DrainAsync();
                return;
            }
            // The thread pool takes the transport itself as the work item, so a broadcast allocates nothing per recipient.
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }
    }

    void IThreadPoolWorkItem.Execute() => _ = DrainAsync();

    public void OnSessionClosed()
    {
        // Nothing to do here: closing the session completed its queue, so the writer loop flushes what is left
        // and sends the close frame; the reader then ends with the client's answering close frame.
    }

    /// <summary>Serves a session that was opened over this WebSocket: writer and reader until either ends.</summary>
    public Task RunAsync() => RunAsync(releases: false, connection: null);

    /// <summary>
    /// As <see cref="RunAsync()"/>, then releases what the connection held: the socket (see <see cref="Dispose"/>), its
    /// place among the store's WebSockets, and <paramref name="connection"/> under it. Errors are logged here. For a
    /// WebSocket accepted at the connection level, whose accepting method then need not wait for the end.
    /// </summary>
    public Task RunAndReleaseAsync(IConnectionEnd? connection) => RunAsync(releases: true, connection);

    // One method, not a wrapper around the serving loop: an idle connection holds one state machine.
    private async Task RunAsync(bool releases, IConnectionEnd? connection)
    {
        try
        {
            // Packets queued before the socket took over (the OPEN packet, or what waited during an upgrade) are written
            // from here, on this thread, rather than by a writer queued to the thread pool: under a burst of new
            // connections that is one work item less each, and fewer threads the pool adds to keep up.
            if (Interlocked.CompareExchange(ref _writer, WriterRunning, WriterIdle) == WriterIdle)
            {
                _ = DrainAsync();
            }
            // The reader runs right here rather than in a method of its own: one state machine less for every idle connection.
            var reason = EngineCloseReason.TransportClose;
            try
            {
                while (_session.CurrentState != SessionState.Closed)
                {
                    // The idle wait is awaited here, not inside ReceiveMessageAsync: an idle connection then holds no state
                    // of a message read, and a message that is already there is read without one.
                    var first = await WaitForMessageAsync().ConfigureAwait(false);
                    var message = await ReadMessageAsync(first).ConfigureAwait(false);
                    if (message is not { } packet)
                    {
                        break;
                    }
                    await DispatchAsync(packet).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or IOException or ObjectDisposedException
                && Volatile.Read(ref _stopping) == 1)
            {
                // We aborted the socket (the writer failed, or the client never answered our close frame): control flow.
            }
            catch (WebSocketException ex) when (ex.WebSocketErrorCode == WebSocketError.Faulted)
            {
                // The client broke the WebSocket protocol (an unmasked frame, reserved bits, an unknown opcode, invalid
                // UTF-8): the socket has already answered with its close frame (1002, or 1007), failing the connection
                // as RFC 6455 7.1.7 asks. Aborting now would reset the connection and could drop that frame unsent;
                // ending the request instead lets the server flush it and then close the TCP connection (see Dispose).
                reason = EngineCloseReason.TransportError;
                Volatile.Write(ref _failedByClient, 1);
                EngineLog.ProtocolViolation(_session.Logger, _session.Id, ex.Message);
            }
            catch (Exception ex) when (ex is WebSocketException or IOException)
            {
                // The connection broke: the writer cannot send anything either.
                reason = EngineCloseReason.TransportError;
                EngineLog.TransportEnded(_session.Logger, _session.Id, ex.Message);
                Stop();
            }
            if (_session.CurrentState == SessionState.Closing)
            {
                _session.Finish();
            }
            _session.Abort(reason);
            await WhenWriterStoppedAsync().ConfigureAwait(false);
            await CloseSocketAsync().ConfigureAwait(false);
            _closeHandshakeTimer?.Dispose();
        }
        catch (Exception ex) when (releases && ex is OperationCanceledException or IOException or WebSocketException)
        {
            // The client went away: the session saw it and closed.
        }
        catch (Exception ex) when (releases)
        {
            EngineLog.RequestFailed(_session.Logger, ex, "GET", _session.Handshake.Url);
        }
        finally
        {
            if (releases)
            {
                Dispose();
                _session.Store.RemoveWebSocket();
                connection?.End();
            }
        }
    }

    /// <summary>
    /// Serves an upgrade of a polling session: answers <c>2probe</c> with <c>3probe</c>, and on <c>5</c> takes
    /// the session over. Anything else, or no <c>5</c> within upgradeTimeout, ends the probe and polling carries on.
    /// </summary>
    public async Task RunUpgradeAsync()
    {
        // On timeout the probe socket is closed with a close frame; cancelling a pending receive instead
        // would abort the socket without a close handshake. The deadline covers the probe only: it is gone before
        // the upgraded socket starts carrying the session.
        var deadline = _session.Time.CreateTimer(
            static state => ((WebSocketTransport)state!).AbandonProbe(), this, _session.Options.UpgradeTimeout, Timeout.InfiniteTimeSpan);
        var upgraded = false;
        try
        {
            while (!upgraded)
            {
                var message = await ReceiveMessageAsync().ConfigureAwait(false);
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
                    await SendAsync(EnginePacket.PongProbe).ConfigureAwait(false);
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
        catch (WebSocketException ex) when (ex.WebSocketErrorCode == WebSocketError.Faulted)
        {
            // A bad frame on the probe socket: the socket answered it with its close frame; the upgrade does not happen.
            Volatile.Write(ref _failedByClient, 1);
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or IOException or ObjectDisposedException)
        {
            // The probe socket failed: the upgrade simply does not happen.
        }

        deadline.Dispose();
        if (!upgraded)
        {
            _session.EndUpgradeAttempt(this);
            await CloseSocketAsync().ConfigureAwait(false);
            return;
        }
        await RunAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Hands one packet to the session. What its synchronous part queued on this transport is written right after,
    /// on this thread; the reader waits for the write only as long as the socket takes it at once.
    /// </summary>
    private ValueTask DispatchAsync(InboundPacket packet)
    {
        ValueTask dispatch;
        t_dispatching = this;
        try
        {
            dispatch = _session.ReceiveAsync(packet);
        }
        finally
        {
            t_dispatching = null;
        }
        if (_drainAfterDispatch)
        {
            _drainAfterDispatch = false;
            _ = DrainAsync();
        }
        return dispatch;
    }

    /// <summary>
    /// Writes what is queued, then goes idle. Once the session completed its queue it sends the close frame; the
    /// server's close is a WebSocket close frame, never an Engine.IO close packet, and the reader then waits for the
    /// client's answering close frame.
    /// </summary>
    private async Task DrainAsync()
    {
        try
        {
            while (true)
            {
                while (_session.TryDequeue(out var packet))
                {
                    await SendAsync(packet).ConfigureAwait(false);
                }
                if (_session.IsQueueCompleted && _session.IsQueueEmpty)
                {
                    await SendCloseFrameAsync().ConfigureAwait(false);
                }
                Volatile.Write(ref _writer, WriterIdle);
                // A packet queued, or the queue completed, after the last look signalled while this writer still ran
                // and so started nobody: take it on.
                var more = !_session.IsQueueEmpty || (_session.IsQueueCompleted && Volatile.Read(ref _closeSent) == 0);
                if (!more || Interlocked.CompareExchange(ref _writer, WriterRunning, WriterIdle) != WriterIdle)
                {
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or IOException or ObjectDisposedException)
        {
            // The socket went away: no writer runs again, and the reader is stopped; it reports why. A socket the
            // client failed is left alone: the reader has ended already, and aborting could drop the close frame.
            Volatile.Write(ref _writer, WriterStopped);
            if (Volatile.Read(ref _failedByClient) == 0)
            {
                Stop();
            }
        }
        catch (Exception ex)
        {
            // Nothing awaits this writer, so an unexpected fault is logged here and ends the connection rather than
            // leaving it with a writer marked as running forever.
            EngineLog.TransportEnded(_session.Logger, _session.Id, ex.Message);
            Volatile.Write(ref _writer, WriterStopped);
            Stop();
        }
        if (Volatile.Read(ref _writer) != WriterRunning)
        {
            Volatile.Read(ref _writerStopped)?.TrySetResult();
        }
    }

    /// <summary>
    /// Disposes the socket once the request is over, except one the client failed with a bad frame: the socket is
    /// then in the Aborted state, and disposing it so would make ASP.NET Core abort the connection, a reset that can
    /// overtake the close frame still on its way out. Left undisposed, it holds nothing the collector cannot take
    /// back (no keep-alive timer runs; compression's zlib handles have finalizers), and the server closes the
    /// connection gracefully once the request ends.
    /// </summary>
    public void Dispose()
    {
        if (Volatile.Read(ref _failedByClient) == 0)
        {
            _socket.Dispose();
        }
    }

    /// <summary>Waits until no writer runs: the reader has ended, so what is left to write is only the close.</summary>
    private Task WhenWriterStoppedAsync()
    {
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _writerStopped, stopped);
        if (Volatile.Read(ref _writer) != WriterRunning)
        {
            stopped.TrySetResult();
        }
        return stopped.Task;
    }

    /// <summary>Ends the reader by aborting the socket; the reader treats the resulting error as control flow.</summary>
    private void Stop()
    {
        Volatile.Write(ref _stopping, 1);
        _socket.Abort();
    }

    /// <summary>
    /// Ends a probe that did not finish in time, or whose session closed, with a close frame; the probe's reader then
    /// ends with the client's answer. A timer firing as the upgrade completes changes nothing.
    /// </summary>
    internal void AbandonProbe()
    {
        if (!ReferenceEquals(_session.Transport, this))
        {
            _ = SendCloseFrameAsync();
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
                    static state => ((WebSocketTransport)state!).Stop(), this, CloseHandshakeTimeout, Timeout.InfiniteTimeSpan);
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
    private async Task SendAsync(EnginePacket packet)
    {
        var send = SendFrameAsync(packet);
        var timeout = _session.Options.WebSocketSendTimeout;
        if (send.IsCompleted || timeout <= TimeSpan.Zero || timeout == Timeout.InfiniteTimeSpan)
        {
            await send.ConfigureAwait(false);
            return;
        }
        // Only a write that did not complete at once (the socket's buffers are full) gets a deadline, on the shared
        // scheduler: a timer per connection would cost memory on every idle one.
        var deadlines = _session.Store.Deadlines;
        deadlines.Set(this, timeout);
        try
        {
            await send.ConfigureAwait(false);
        }
        finally
        {
            deadlines.Clear(this);
        }
    }

    ref DeadlineSlot IDeadlineOwner.Deadline => ref _sendDeadline;

    void IDeadlineOwner.OnDeadline(long due) => OnSendTimeout();

    private void OnSendTimeout()
    {
        EngineLog.WriteTimedOut(_session.Logger, _session.Id, _session.Options.WebSocketSendTimeout);
        _session.DropSlowConsumer(EngineCloseReason.WriteTimeout);
    }

    /// <summary>
    /// Aborts the socket: a pending write to a client that does not read would never finish, and a close frame
    /// would only queue behind it.
    /// </summary>
    public void Drop() => Stop();

    private ValueTask SendFrameAsync(EnginePacket packet)
    {
        if (packet.IsBinary && !_session.SupportsBinary)
        {
            // b64=1: the client cannot take binary frames, so the packet travels as base64 text
            // (v3 keeps the type digit: b4AQID; v4 has none: bAQID).
            var prefix = _session.Protocol == EngineProtocolVersion.V3 ? "b4" : "b";
            var text = System.Text.Encoding.ASCII.GetBytes(prefix + packet.Base64);
            return _frames is { } writer
                ? writer.WriteDataFrameAsync(WebSocketFrameHeader.Frame(WebSocketFrameHeader.FinalText, text))
                : new ValueTask(_socket.SendAsync(text, WebSocketMessageType.Text, true, CancellationToken.None));
        }
        if (_frames is { } frames)
        {
            return frames.WriteDataFrameAsync(packet.WebSocketFrame(_session.Protocol));
        }
        if (!packet.IsBinary)
        {
            return _socket.SendAsync(packet.TextFrame, WebSocketMessageType.Text, true, CancellationToken.None);
        }
        var frame = _session.Protocol == EngineProtocolVersion.V4 ? packet.BinaryFrameV4 : packet.BinaryFrameV3;
        return _socket.SendAsync(frame, WebSocketMessageType.Binary, true, CancellationToken.None);
    }

    /// <summary>
    /// Reads one whole WebSocket message and decodes it. Null when the peer closed. A message longer than
    /// maxHttpBufferSize closes the socket with 1009 and the session with <c>transport error</c>; an
    /// undecodable one closes the session with <c>parse error</c>.
    /// </summary>
    private async ValueTask<InboundPacket?> ReceiveMessageAsync() =>
        await ReadMessageAsync(await WaitForMessageAsync().ConfigureAwait(false)).ConfigureAwait(false);

    /// <summary>
    /// A zero-byte read, as SignalR's WebSocket transport does: an idle connection then waits holding no receive
    /// buffer, and one is rented only once a frame has arrived.
    /// </summary>
    private ValueTask<ValueWebSocketReceiveResult> WaitForMessageAsync() => _socket.ReceiveAsync(Memory<byte>.Empty, CancellationToken.None);

    /// <summary>Reads the message whose arrival <paramref name="first"/> reported; null at the close.</summary>
    private async ValueTask<InboundPacket?> ReadMessageAsync(ValueWebSocketReceiveResult first)
    {
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
                var result = await _socket.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return null;
                }
                length += result.Count;
                if (length > limit)
                {
                    EngineLog.ProtocolViolation(_session.Logger, _session.Id, $"message longer than maxHttpBufferSize ({limit} bytes)");
                    break;
                }
                if (!result.EndOfMessage)
                {
                    // Bytes held across reads count against the budget all connections share.
                    if (!_session.Store.TryReservePending(result.Count, _session.Options.MaxPendingWebSocketBytes))
                    {
                        EngineLog.PendingBytesExceeded(_session.Logger, _session.Id, _session.Options.MaxPendingWebSocketBytes);
                        EngineMetrics.Limit("pending_websocket_bytes");
                        break;
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
        // Only a message too big leaves the loop without returning.
        await RefuseMessageTooBigAsync().ConfigureAwait(false);
        return null;
    }

    /// <summary>
    /// Closes with 1009 and ends the session, then reads and drops what the client still sends until its answering
    /// close frame, as <c>ws</c> does: closing the TCP connection with unread data in it would reset it, and the
    /// reset can overtake the 1009 on its way to the client. The close-handshake deadline bounds the wait.
    /// </summary>
    private async Task RefuseMessageTooBigAsync()
    {
        Volatile.Write(ref _closeSent, 1);
        await _socket.CloseOutputAsync(WebSocketCloseStatus.MessageTooBig, null, CancellationToken.None).ConfigureAwait(false);
        _closeHandshakeTimer = _session.Time.CreateTimer(
            static state => ((WebSocketTransport)state!).Stop(), this, CloseHandshakeTimeout, Timeout.InfiniteTimeSpan);
        _session.Abort(EngineCloseReason.TransportError);
        var scratch = ArrayPool<byte>.Shared.Rent(InitialReceiveBufferSize);
        try
        {
            while ((await _socket.ReceiveAsync(scratch.AsMemory(), CancellationToken.None).ConfigureAwait(false)).MessageType != WebSocketMessageType.Close)
            {
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or IOException or ObjectDisposedException)
        {
            // Gone, or stopped by the deadline.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
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
