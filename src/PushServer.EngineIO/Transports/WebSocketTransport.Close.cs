using System.Net.WebSockets;

namespace PushServer.EngineIO.Transports;

/// <summary>
/// The close handshake: the server's close frame is sent once and bounded by a deadline for the client's answer; a
/// client's close is answered with its own code; a message too big is refused with 1009.
/// </summary>
internal sealed partial class WebSocketTransport
{
    /// <summary>
    /// The reference closes with a bare close frame (the client sees 1005). .NET cannot send a close frame
    /// without a code (Empty would put the reserved 1005 on the wire), so the server closes with 1000.
    /// </summary>
    internal const WebSocketCloseStatus ServerCloseStatus = WebSocketCloseStatus.NormalClosure;

    /// <summary>How long the client has to answer the server's close frame before the socket is dropped.</summary>
    private static readonly TimeSpan CloseHandshakeTimeout = TimeSpan.FromSeconds(5);

    private int _closeSent;
    private int _failedByClient; // 1 once the socket failed the connection over a bad frame and sent its close frame
    private ITimer? _closeHandshakeTimer;

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
                StartCloseHandshakeDeadline();
            }
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException)
        {
            // Already gone.
        }
    }

    private void StartCloseHandshakeDeadline() =>
        _closeHandshakeTimer = _session.Time.CreateTimer(
            static state => ((WebSocketTransport)state!).Stop(), this, CloseHandshakeTimeout, Timeout.InfiniteTimeSpan);

    /// <summary>
    /// Closes with 1009 and ends the session, then reads and drops what the client still sends until its answering
    /// close frame, as <c>ws</c> does: closing the TCP connection with unread data in it would reset it, and the
    /// reset can overtake the 1009 on its way to the client. The close-handshake deadline bounds the wait.
    /// </summary>
    private async Task RefuseMessageTooBigAsync()
    {
        Volatile.Write(ref _closeSent, 1);
        await _socket.CloseOutputAsync(WebSocketCloseStatus.MessageTooBig, null, CancellationToken.None).ConfigureAwait(false);
        StartCloseHandshakeDeadline();
        _session.Abort(EngineCloseReason.TransportError);
        var scratch = System.Buffers.ArrayPool<byte>.Shared.Rent(InitialReceiveBufferSize);
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
            System.Buffers.ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    /// <summary>Answers the client's close, or closes an open socket, once the reader has ended.</summary>
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
