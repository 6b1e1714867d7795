using System.Buffers;
using System.Net.WebSockets;
using PushServer.EngineIO.Protocol;

namespace PushServer.EngineIO.Transports;

/// <summary>
/// The reader: waits for a message holding no buffer, reads it whole within maxHttpBufferSize, decodes it and hands it
/// to the session. The loop itself is in <see cref="RunAsync(bool, IConnectionEnd?)"/>.
/// </summary>
internal sealed partial class WebSocketTransport
{
    /// <summary>
    /// The first receive buffer once a frame has arrived: most Engine.IO packets fit, and a larger message doubles it.
    /// </summary>
    private const int InitialReceiveBufferSize = 4096;

    /// <summary>
    /// The managed id of the thread on which the reader is dispatching a packet, 0 when it is not. A packet that
    /// dispatch queues on this transport (an ack, an echo) is then written by the reader once dispatch returns,
    /// instead of by a writer started on the thread pool: a request answered at once costs no thread switch. Only the
    /// reader sets it, so a signal from any other thread (a broadcast, a timer) never matches.
    /// </summary>
    private int _dispatchingThreadId;

    private bool _drainAfterDispatch; // touched only on the dispatching thread, while it dispatches

    private bool IsDispatchingOnThisThread => Volatile.Read(ref _dispatchingThreadId) == Environment.CurrentManagedThreadId;

    /// <summary>
    /// Hands one packet to the session. What its synchronous part queued on this transport is written right after,
    /// on this thread; the reader waits for the write only as long as the socket takes it at once.
    /// </summary>
    private ValueTask DispatchAsync(InboundPacket packet)
    {
        ValueTask dispatch;
        Volatile.Write(ref _dispatchingThreadId, Environment.CurrentManagedThreadId);
        try
        {
            dispatch = _session.ReceiveAsync(packet);
        }
        finally
        {
            Volatile.Write(ref _dispatchingThreadId, 0);
        }
        if (_drainAfterDispatch)
        {
            _drainAfterDispatch = false;
            _ = DrainAsync();
        }
        return dispatch;
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
}
