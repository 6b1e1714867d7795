using System.Net.WebSockets;
using PushServer.EngineIO.Sessions;

namespace PushServer.EngineIO.Transports;

/// <summary>
/// The WebSocket transport: one Engine.IO packet per WebSocket message. A read loop feeds the session
/// (<c>WebSocketTransport.Reader.cs</c>); a writer drains its queue (<c>WebSocketTransport.Writer.cs</c>), started on
/// the thread pool when packets are queued and gone again once the queue is empty, so an idle connection keeps no
/// writer waiting. When it joins an existing polling session it first runs the upgrade probe
/// (<c>WebSocketTransport.Upgrade.cs</c>). Either end's close goes through the close handshake
/// (<c>WebSocketTransport.Close.cs</c>).
/// </summary>
internal sealed partial class WebSocketTransport : ISessionTransport, IDisposable
{
    private readonly WebSocket _socket;
    private readonly IWebSocketFrameWriter? _frames;
    private readonly EngineSession _session;
    private int _stopping;

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
            if (TryStartWriter())
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

    /// <summary>Ends the reader by aborting the socket; the reader treats the resulting error as control flow.</summary>
    private void Stop()
    {
        Volatile.Write(ref _stopping, 1);
        _socket.Abort();
    }

    /// <summary>
    /// Aborts the socket: a pending write to a client that does not read would never finish, and a close frame
    /// would only queue behind it.
    /// </summary>
    public void Drop() => Stop();

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
}
