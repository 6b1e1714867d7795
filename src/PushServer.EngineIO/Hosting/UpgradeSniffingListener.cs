using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Logging;
using PushServer.EngineIO.Handshakes;
using PushServer.EngineIO.Transports;

namespace PushServer.EngineIO.Hosting;

/// <summary>
/// A Kestrel listener that looks at each new connection's first bytes before Kestrel builds anything for it. A plain
/// WebSocket upgrade the Engine.IO server accepts (<see cref="ConnectionWebSocketAcceptor.TryTake"/>) is answered
/// here and its WebSocket runs on the bare socket: no pipes, no Kestrel connection, no connection middleware, which
/// is most of what an idle WebSocket costs in memory. Every other connection (polling, other endpoints, refusals,
/// TLS, a request head not complete in the first segment) is handed to Kestrel's own socket transport untouched:
/// the first bytes are only peeked, never consumed.
/// </summary>
internal sealed class UpgradeSniffingListener : IConnectionListener
{
    private static readonly TimeSpan AcceptRetryDelay = TimeSpan.FromMilliseconds(100);

    private readonly Socket _listenSocket;
    private readonly ConnectionWebSocketAcceptor _acceptor;
    private readonly SocketConnectionContextFactory _kestrel;
    private readonly ILogger _logger;
    private readonly Channel<ConnectionContext> _handedOff = Channel.CreateUnbounded<ConnectionContext>();
    private readonly ConcurrentDictionary<Socket, byte> _served = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _acceptLoop;
    private readonly Action<Socket> _forget;

    public UpgradeSniffingListener(
        EndPoint endPoint, SocketTransportOptions options, ConnectionWebSocketAcceptor acceptor, SocketConnectionContextFactory kestrel, ILogger logger)
    {
        _acceptor = acceptor;
        _kestrel = kestrel;
        _forget = Forget;
        _logger = logger;
        _listenSocket = options.CreateBoundListenSocket(endPoint);
        EndPoint = _listenSocket.LocalEndPoint!;
        _listenSocket.Listen(options.Backlog);
        _acceptLoop = AcceptLoopAsync();
    }

    public EndPoint EndPoint { get; }

    /// <summary>Connections this listener serves itself, for tests and diagnostics.</summary>
    internal int ServedCount => _served.Count;

    public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
    {
        while (await _handedOff.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (_handedOff.Reader.TryRead(out var connection))
            {
                return connection;
            }
        }
        return null;
    }

    public async ValueTask UnbindAsync(CancellationToken cancellationToken = default)
    {
        if (!_stopping.IsCancellationRequested)
        {
            _stopping.Cancel();
            _listenSocket.Dispose();
        }
        await _acceptLoop.ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await UnbindAsync().ConfigureAwait(false);
        // Kestrel ends its own connections when it stops; these are ours to end. By now the host's graceful shutdown
        // has closed their sessions, so what is left is only what did not finish in time.
        foreach (var socket in _served.Keys)
        {
            SocketStream.Reset(socket);
        }
        while (_handedOff.Reader.TryRead(out var connection))
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
        _kestrel.Dispose();
        _stopping.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        try
        {
            while (true)
            {
                Socket socket;
                try
                {
                    socket = await _listenSocket.AcceptAsync(_stopping.Token).ConfigureAwait(false);
                }
                catch (Exception) when (_stopping.IsCancellationRequested)
                {
                    return;
                }
                catch (SocketException ex) when (ex.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted)
                {
                    // The client gave up while in the backlog: nothing to serve.
                    continue;
                }
                catch (SocketException ex)
                {
                    // Out of file descriptors, say: logged, and accepting resumes after a pause rather than failing
                    // again at once in a loop that would only burn CPU and flood the log.
                    EngineLog.AcceptFailed(_logger, ex, EndPoint.ToString() ?? "");
                    try
                    {
                        await Task.Delay(AcceptRetryDelay, _stopping.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }
                    continue;
                }
                socket.NoDelay = true;
                _ = SniffAsync(socket);
            }
        }
        finally
        {
            _handedOff.Writer.TryComplete();
        }
    }

    /// <summary>Waits for the connection's first bytes, then serves it here or hands it to Kestrel.</summary>
    private async Task SniffAsync(Socket socket)
    {
        try
        {
            if (!await WaitForFirstBytesAsync(socket).ConfigureAwait(false))
            {
                HandOff(socket);
                return;
            }
            var remoteAddress = (socket.RemoteEndPoint as IPEndPoint)?.Address;
            var head = ArrayPool<byte>.Shared.Rent(WebSocketUpgradeRequest.MaxHeadLength);
            try
            {
                var peeked = socket.Receive(head, 0, WebSocketUpgradeRequest.MaxHeadLength, SocketFlags.Peek);
                if (peeked == 0)
                {
                    // Closed before a byte arrived.
                    socket.Dispose();
                    return;
                }
                if (_acceptor.TryTake(new ReadOnlySequence<byte>(head, 0, peeked), remoteAddress, out var taken))
                {
                    // Consume exactly the head: what the client sent after it (its first frames) stays for the WebSocket.
                    var consumed = 0;
                    while (consumed < taken.HeadLength)
                    {
                        var read = socket.Receive(head, consumed, taken.HeadLength - consumed, SocketFlags.None);
                        if (read == 0)
                        {
                            socket.Dispose();
                            return;
                        }
                        consumed += read;
                    }
                    var acceptResponse = ConnectionWebSocketAcceptor.SwitchingProtocolsResponse(taken.Request.AcceptKey());
                    ArrayPool<byte>.Shared.Return(head);
                    head = null;
                    Serve(socket, taken, remoteAddress, acceptResponse);
                    return;
                }
            }
            finally
            {
                if (head is not null)
                {
                    ArrayPool<byte>.Shared.Return(head);
                }
            }
            HandOff(socket);
        }
        catch (Exception ex) when (ex is SocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            // The client reset the connection, or the listener is stopping.
            socket.Dispose();
        }
        catch (Exception ex)
        {
            EngineLog.RequestFailed(_logger, ex, "GET", "(WebSocket upgrade)");
            SocketStream.Reset(socket);
        }
    }

    /// <summary>
    /// Waits until the client has sent something. False after <see cref="ConnectionWebSocketAcceptor.FirstBytesTimeout"/>
    /// of silence: the connection then goes to Kestrel, whose own timeouts apply.
    /// </summary>
    private async Task<bool> WaitForFirstBytesAsync(Socket socket)
    {
        using var silence = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        silence.CancelAfter(ConnectionWebSocketAcceptor.FirstBytesTimeout);
        try
        {
            await socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None, silence.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (!_stopping.IsCancellationRequested)
        {
            return false;
        }
    }

    private void HandOff(Socket socket)
    {
        var connection = _kestrel.Create(socket);
        if (!_handedOff.Writer.TryWrite(connection))
        {
            // The listener stopped meanwhile.
            _ = connection.DisposeAsync();
        }
    }

    /// <summary>
    /// Answers 101 and runs the WebSocket. Not awaited by anyone: the session's own loop is the connection's only
    /// pending state, and it ends the connection (<see cref="SocketStream.End"/>) when it is over.
    /// </summary>
    private void Serve(Socket socket, ConnectionWebSocketAcceptor.TakenUpgrade taken, IPAddress? remoteAddress, byte[] acceptResponse)
    {
        // Writes are tried without blocking first (see SocketStream.WriteAsync).
        socket.Blocking = false;
        _served[socket] = 0;
        var stream = new SocketStream(socket, _forget);
        var answered = stream.WriteAsync(acceptResponse);
        if (!answered.IsCompletedSuccessfully)
        {
            _ = ServeAfterAnswerAsync(answered, stream, taken, remoteAddress);
            return;
        }
        _ = RunAsync(stream, taken, remoteAddress);
    }

    /// <summary>The rare case of a 101 the socket did not take at once.</summary>
    private async Task ServeAfterAnswerAsync(ValueTask answered, SocketStream stream, ConnectionWebSocketAcceptor.TakenUpgrade taken, IPAddress? remoteAddress)
    {
        try
        {
            await answered.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException or IOException or ObjectDisposedException)
        {
            // Gone before the 101 was out: no session was opened.
            stream.End();
            return;
        }
        await RunAsync(stream, taken, remoteAddress).ConfigureAwait(false);
    }

    private static Task RunAsync(SocketStream stream, ConnectionWebSocketAcceptor.TakenUpgrade taken, IPAddress? remoteAddress)
    {
        var webSocket = ConnectionWebSocketAcceptor.CreateWebSocket(stream);
        stream.Owner = webSocket;
        return taken.Server.ServeUpgradeAsync(taken.Upgrade, taken.Request, remoteAddress, webSocket, connection: stream, frames: stream);
    }

    private void Forget(Socket socket) => _served.TryRemove(socket, out _);
}
