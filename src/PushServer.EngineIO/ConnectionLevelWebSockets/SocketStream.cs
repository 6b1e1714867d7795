using System.Net.Sockets;
using System.Net.WebSockets;
using PushServer.EngineIO.Transports;

namespace PushServer.EngineIO.ConnectionLevelWebSockets;

/// <summary>
/// The stream a WebSocket taken straight off an accepted socket reads and writes (see
/// <see cref="UpgradeSniffingListener"/>): the socket itself, no pipes in between, and no receive buffer of its
/// own, so an idle connection holds only the socket. Disposing it after the WebSocket was aborted resets the
/// connection (and so ends a pending read or a stuck write at once); after a clean close the listener shuts the
/// connection down gracefully once the session is over, so the close frame is not cut off.
/// </summary>
internal sealed class SocketStream : WebSocketStream, IConnectionEnd, IWebSocketFrameWriter
{
    private readonly Socket _socket;
    private readonly Action<Socket> _ended;
    private int _disposed;
    // The write gate's own object rather than this stream's monitor: the stream is handed to the WebSocket, and code
    // outside this class that locked it would share the gate. A plain object, not a Lock: it is held by every idle
    // connection, and takes 24 bytes where a Lock takes 40.
    private readonly object _writeGate = new();
    private Task? _unfinishedWrite; // guarded by _writeGate
    private bool _closeFrameWritten; // guarded by _writeGate

    /// <param name="socket">The accepted socket, non-blocking.</param>
    /// <param name="ended">Told once the connection has ended (the listener stops tracking it).</param>
    public SocketStream(Socket socket, Action<Socket> ended)
    {
        _socket = socket;
        _ended = ended;
    }

    /// <summary>
    /// A graceful end, as Kestrel ends a connection: what was written (the close frame) goes out before the FIN. A
    /// socket reset by an abort is disposed already.
    /// </summary>
    public void End()
    {
        _ended(_socket);
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Already gone.
        }
        _socket.Dispose();
    }

    /// <summary>
    /// The socket's own receive, with no state machine of this stream's in between: an idle connection's pending read
    /// is then one operation of the socket's. The WebSocket reports a failure of it as a <see cref="WebSocketException"/>.
    /// </summary>
    public override ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellationToken = default) =>
        // A zero-byte read waits for data without consuming any: the WebSocket's idle wait.
        _socket.ReceiveAsync(destination, SocketFlags.None, cancellationToken);

    /// <summary>
    /// Writes without blocking first: when the socket takes all of it at once, as it does unless the client stopped
    /// reading, no asynchronous send happens, and the socket never allocates the state of one. The socket is
    /// non-blocking (<see cref="Socket.Blocking"/> false) for this. The WebSocket writes its control frames here.
    /// </summary>
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken = default) =>
        Write(source, isDataFrame: false, cancellationToken);

    /// <inheritdoc />
    public ValueTask WriteDataFrameAsync(ReadOnlyMemory<byte> frame) => Write(frame, isDataFrame: true, CancellationToken.None);

    /// <summary>
    /// Writes are kept whole and in order: the transport's data frames and the WebSocket's own control frames (a
    /// pong, the close) come from different threads, and a write the socket did not take at once finishes later,
    /// so a write that finds one unfinished is made after it.
    /// </summary>
    private ValueTask Write(ReadOnlyMemory<byte> source, bool isDataFrame, CancellationToken cancellationToken)
    {
        lock (_writeGate)
        {
            if (!isDataFrame)
            {
                _closeFrameWritten |= WebSocketFrameHeader.IsClose(source.Span);
            }
            else if (_closeFrameWritten)
            {
                // No data frame may follow a close frame (RFC 6455 5.5.1); the session is ending anyway.
                return ValueTask.CompletedTask;
            }
            if (_unfinishedWrite is { IsCompleted: false } unfinished)
            {
                var queued = WriteAfterAsync(unfinished, source, cancellationToken);
                _unfinishedWrite = queued;
                return new ValueTask(queued);
            }
            _unfinishedWrite = null;
            var write = WriteNow(source, cancellationToken);
            if (!write.IsCompleted)
            {
                var task = write.AsTask();
                _unfinishedWrite = task;
                return new ValueTask(task);
            }
            return write;
        }
    }

    private async Task WriteAfterAsync(Task unfinished, ReadOnlyMemory<byte> source, CancellationToken cancellationToken)
    {
        // A failed write before this one means the connection is broken: this one fails with it.
        await unfinished.ConfigureAwait(false);
        await WriteNow(source, cancellationToken).ConfigureAwait(false);
    }

    private ValueTask WriteNow(ReadOnlyMemory<byte> source, CancellationToken cancellationToken)
    {
        int sent;
        SocketError error;
        try
        {
            sent = _socket.Send(source.Span, SocketFlags.None, out error);
        }
        catch (ObjectDisposedException ex)
        {
            return ValueTask.FromException(ex);
        }
        if (error == SocketError.Success && sent == source.Length)
        {
            return ValueTask.CompletedTask;
        }
        if (error is not (SocketError.Success or SocketError.WouldBlock))
        {
            return ValueTask.FromException(new IOException("The connection was closed.", new SocketException((int)error)));
        }
        return SendRestAsync(source[Math.Max(sent, 0)..], cancellationToken);
    }

    private async ValueTask SendRestAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken)
    {
        try
        {
            while (!source.IsEmpty)
            {
                var sent = await _socket.SendAsync(source, SocketFlags.None, cancellationToken).ConfigureAwait(false);
                source = source[sent..];
            }
        }
        catch (SocketException ex)
        {
            throw new IOException(ex.Message, ex);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0 && OwnerAborted)
        {
            Reset(_socket);
        }
        base.Dispose(disposing);
    }

    /// <summary>Closes the connection with a reset: pending reads and writes end at once, unsent bytes are dropped.</summary>
    internal static void Reset(Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Already closed.
        }
        socket.Dispose();
    }
}
