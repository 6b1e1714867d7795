using System.Net.WebSockets;
using PushServer.EngineIO.ConnectionLevelWebSockets;
using PushServer.EngineIO.Protocol;
using PushServer.EngineIO.Sessions;

namespace PushServer.EngineIO.Transports;

/// <summary>
/// The writer: at most one at a time drains the session's queue, then goes idle. Where it runs is chosen per signal:
/// after the reader's dispatch (see <see cref="DispatchAsync"/>), on the caller's thread
/// (<see cref="SendMode.WriteOnCallingThread"/>), or as a thread-pool work item.
/// </summary>
internal sealed partial class WebSocketTransport : IThreadPoolWorkItem, IDeadlineOwner
{
    private const int WriterIdle = 0;
    private const int WriterRunning = 1;
    private const int WriterStopped = 2;

    private int _writer; // WriterIdle, WriterRunning or WriterStopped
    private TaskCompletionSource? _writerStopped;
    private DeadlineSlot _sendDeadline;

    public bool IsWritableNow => Volatile.Read(ref _writer) == WriterIdle && _socket.State == WebSocketState.Open;

    public void OnQueueSignal(SendMode mode)
    {
        // One writer at a time; a signal while it runs is seen by its final look at the queue.
        if (!TryStartWriter())
        {
            return;
        }
        if (IsDispatchingOnThisThread)
        {
            _drainAfterDispatch = true;
            return;
        }
        if (mode == SendMode.WriteOnCallingThread)
        {
            _ = DrainAsync();
            return;
        }
        // The thread pool takes the transport itself as the work item, so a broadcast allocates nothing per recipient.
        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
    }

    void IThreadPoolWorkItem.Execute() => _ = DrainAsync();

    /// <summary>True when this caller is now the one writer; it must then run <see cref="DrainAsync"/>.</summary>
    private bool TryStartWriter() => Interlocked.CompareExchange(ref _writer, WriterRunning, WriterIdle) == WriterIdle;

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
                if (!more || !TryStartWriter())
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
    /// Puts one packet on the wire in the frame format the client takes: a prebuilt frame through
    /// <see cref="IWebSocketFrameWriter"/> when the connection has one (the same bytes for every recipient), else a
    /// message through the socket; binary as base64 text for a client that asked for <c>b64=1</c>.
    /// </summary>
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
}
