using System.Net.WebSockets;

namespace PushServer.EngineIO.ConnectionLevelWebSockets;

/// <summary>
/// What the streams a WebSocket accepted at the connection level runs over have in common: asynchronous reads and
/// writes only, no seeking, nothing to flush, and the WebSocket on top, whose state tells an abort from a close when
/// the stream is disposed.
/// </summary>
internal abstract class WebSocketStream : Stream
{
    /// <summary>The WebSocket reading this stream.</summary>
    public WebSocket? Owner { get; set; }

    public sealed override bool CanRead => true;

    public sealed override bool CanWrite => true;

    public sealed override bool CanSeek => false;

    public sealed override long Length => throw new NotSupportedException();

    public sealed override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <summary>True when the WebSocket on top was aborted: disposing then ends the connection at once.</summary>
    protected bool OwnerAborted => Owner?.State == WebSocketState.Aborted;

    public sealed override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public sealed override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public sealed override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public sealed override void Flush()
    {
    }

    public sealed override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public sealed override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public sealed override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public sealed override void SetLength(long value) => throw new NotSupportedException();
}
