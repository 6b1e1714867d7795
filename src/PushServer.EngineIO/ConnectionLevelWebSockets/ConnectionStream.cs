using System.Buffers;
using System.IO.Pipelines;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Connections;

namespace PushServer.EngineIO.ConnectionLevelWebSockets;

/// <summary>
/// The stream a WebSocket accepted at the connection level reads and writes: the connection's own pipes, with no
/// HTTP request in between. Disposing it after the WebSocket was aborted aborts the connection, as ASP.NET Core's
/// WebSocket middleware does for its request stream; after a clean close the connection ends gracefully once the
/// middleware returns, so the close frame is not cut off.
/// </summary>
internal sealed class ConnectionStream : WebSocketStream
{
    private readonly ConnectionContext _connection;
    private readonly PipeReader _input;
    private readonly PipeWriter _output;
    private int _disposed;

    public ConnectionStream(ConnectionContext connection)
    {
        _connection = connection;
        _input = connection.Transport.Input;
        _output = connection.Transport.Output;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var result = await _input.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (result.IsCanceled)
            {
                throw new OperationCanceledException("The connection's read was cancelled.");
            }
            var buffer = result.Buffer;
            if (!buffer.IsEmpty)
            {
                if (destination.IsEmpty)
                {
                    // A zero-byte read only waits for data: it consumes nothing.
                    _input.AdvanceTo(buffer.Start);
                    return 0;
                }
                var count = (int)Math.Min(buffer.Length, destination.Length);
                var taken = buffer.Slice(0, count);
                taken.CopyTo(destination.Span);
                _input.AdvanceTo(taken.End);
                return count;
            }
            _input.AdvanceTo(buffer.End);
            if (result.IsCompleted)
            {
                return 0;
            }
        }
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken = default)
    {
        var result = await _output.WriteAsync(source, cancellationToken).ConfigureAwait(false);
        if (result.IsCanceled)
        {
            throw new OperationCanceledException("The connection's write was cancelled.");
        }
        if (result.IsCompleted)
        {
            throw new IOException("The connection was closed.");
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0 && OwnerAborted)
        {
            // An abort ends pending reads and stuck writes at once and resets the connection.
            _connection.Abort(new ConnectionAbortedException("The WebSocket was aborted."));
            _input.CancelPendingRead();
            _output.CancelPendingFlush();
        }
        base.Dispose(disposing);
    }
}
