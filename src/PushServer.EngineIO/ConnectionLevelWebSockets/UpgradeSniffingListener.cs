using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Logging;
using PushServer.EngineIO.Sessions;

namespace PushServer.EngineIO.ConnectionLevelWebSockets;

/// <summary>
/// A Kestrel listener that looks at each new connection's first bytes before Kestrel builds anything for it. A plain
/// WebSocket upgrade the Engine.IO server accepts (<see cref="ConnectionWebSocketAcceptor.TryTake"/>) is answered
/// here and its WebSocket runs on the bare socket: no pipes, no Kestrel connection, no connection middleware, which
/// is most of what an idle WebSocket costs in memory. Every other connection (polling, other endpoints, refusals,
/// TLS, a request head not complete in the first segment) is handed to Kestrel's own socket transport untouched:
/// the first bytes are only peeked, never consumed.
/// </summary>
/// <remarks>
/// Every accepted connection counts against the acceptor's <see cref="EngineIOConnectionLimits"/> until it is closed:
/// past <see cref="EngineIOConnectionLimits.MaxConnections"/> it is reset at once, so a flood of idle connections
/// never takes the process to its open-file limit (where loading an assembly, reading /proc or creating a pipe fails,
/// and the runtime aborts). A connection that sends nothing is reset when
/// <see cref="EngineIOConnectionLimits.RequestHeadersTimeout"/> passes; one that sent something goes on to Kestrel,
/// where the acceptor's middleware holds it to the same deadline, counted from this accept.
/// </remarks>
internal sealed class UpgradeSniffingListener : IConnectionListener
{
    private static readonly TimeSpan AcceptRetryDelay = TimeSpan.FromMilliseconds(100);

    private readonly Socket _listenSocket;
    private readonly ConnectionWebSocketAcceptor _acceptor;
    private readonly EngineIOConnectionLimits _limits;
    private readonly SocketConnectionContextFactory _kestrel;
    private readonly ILogger _logger;
    private readonly Channel<ConnectionContext> _handedOff = Channel.CreateUnbounded<ConnectionContext>();
    private readonly ConcurrentDictionary<Socket, byte> _served = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _acceptLoop;
    private readonly Action<Socket> _forget;
    private readonly Action<object?> _handedOffClosed;
    private ListenerTally _refusals;
    private ListenerTally _acceptFailures;

    public UpgradeSniffingListener(
        EndPoint endPoint, SocketTransportOptions options, ConnectionWebSocketAcceptor acceptor, SocketConnectionContextFactory kestrel, ILogger logger)
    {
        _acceptor = acceptor;
        _limits = acceptor.Limits;
        _kestrel = kestrel;
        _forget = Forget;
        _handedOffClosed = static limits => ((EngineIOConnectionLimits)limits!).Closed();
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
                    // Out of file descriptors, say: accepting resumes after a pause rather than failing again at once in
                    // a loop that would only burn CPU. Logged now and then with a count, never with the exception: at the
                    // open-file limit, resolving a stack trace (which opens assembly files) could fail too.
                    if (_acceptFailures.Add(Environment.TickCount64) is { } failures)
                    {
                        EngineLog.AcceptFailed(_logger, EndPoint.ToString() ?? "", ex.SocketErrorCode.ToString(), failures);
                    }
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
                Accepted(socket);
            }
        }
        finally
        {
            _handedOff.Writer.TryComplete();
        }
    }

    /// <summary>Counts a new connection in, or resets it at once when the cap is reached; then sniffs it.</summary>
    private void Accepted(Socket socket)
    {
        DeadlineScheduler deadlines;
        try
        {
            deadlines = _acceptor.Server.Deadlines;
        }
        catch (Exception ex)
        {
            // The host's services are not there (yet, or any more): nothing can serve it, and the loop must go on.
            EngineLog.RequestFailed(_logger, ex, "GET", "(connection)");
            SocketStream.Reset(socket);
            return;
        }
        // Taken before the connection is counted, so that whoever sees the count also sees a deadline running from here.
        var started = deadlines.Now;
        if (!_limits.TryOpen())
        {
            SocketStream.Reset(socket);
            if (_refusals.Add(Environment.TickCount64) is { } refused)
            {
                EngineLog.ConnectionsRefused(_logger, EndPoint.ToString() ?? "", refused, _limits.MaxConnections);
            }
            return;
        }
        _ = SniffAsync(socket, deadlines, started);
    }

    /// <summary>
    /// Waits for the connection's first bytes, then serves it here or hands it to Kestrel. Whichever way the
    /// connection ends here, it is counted out of the limits; one served or handed on is counted out when it closes.
    /// </summary>
    private async Task SniffAsync(Socket socket, DeadlineScheduler deadlines, long started)
    {
        var passedOn = false;
        try
        {
            socket.NoDelay = true;
            if (!await WaitForFirstBytesAsync(socket, deadlines, started).ConfigureAwait(false))
            {
                _limits.HeadTimedOut(_logger);
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
                    // Writes are tried without blocking first (see SocketStream.WriteAsync).
                    socket.Blocking = false;
                    passedOn = true;
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
            HandOff(socket, started);
            passedOn = true;
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
        finally
        {
            if (!passedOn)
            {
                _limits.Closed();
            }
        }
    }

    /// <summary>
    /// Waits until the client has sent something. False, with the connection reset, when
    /// <see cref="EngineIOConnectionLimits.RequestHeadersTimeout"/> passed since the accept first. The deadline is on
    /// the server's shared timer: a connection waiting here holds one small object, no timer of its own.
    /// </summary>
    private async Task<bool> WaitForFirstBytesAsync(Socket socket, DeadlineScheduler deadlines, long started)
    {
        var watch = new OnceDeadline<Socket>(socket, SocketStream.Reset);
        deadlines.SetAt(watch, started, _limits.RequestHeadersTimeout);
        try
        {
            await socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None, _stopping.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException && watch.HasFired)
        {
            // The deadline reset the socket under the wait.
            return false;
        }
        catch (Exception)
        {
            // The client reset the connection, or the listener is stopping: the caller ends it.
            watch.TryFinish();
            throw;
        }
        finally
        {
            deadlines.Clear(watch);
        }
        // Data came, or the client closed; a deadline that fired meanwhile has reset the socket all the same.
        return watch.TryFinish();
    }

    private void HandOff(Socket socket, long started)
    {
        var connection = _kestrel.Create(socket);
        // Kestrel's connection closes the socket when it ends: counted out then. The acceptor's middleware holds the
        // connection's first request head to the deadline that started at this accept.
        connection.ConnectionClosed.UnsafeRegister(_handedOffClosed, _limits);
        connection.Features.Set(new AcceptedConnectionFeature(started));
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

    private void Forget(Socket socket)
    {
        if (_served.TryRemove(socket, out _))
        {
            _limits.Closed();
        }
    }
}
