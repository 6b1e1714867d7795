using System.Net;
using System.Net.WebSockets;
using PushServer.EngineIO.ConnectionLevelWebSockets;
using PushServer.EngineIO.Handshakes;
using PushServer.EngineIO.Hosting;
using PushServer.EngineIO.Sessions;
using PushServer.EngineIO.Transports;

namespace PushServer.EngineIO;

/// <summary>
/// WebSockets accepted at the connection level (see <see cref="EngineIOConnectionBuilderExtensions"/>): the same
/// checks as an upgrade through HTTP, answered only when every one of them passes, so a refusal is always left to
/// the HTTP path and looks the same as before.
/// </summary>
public sealed partial class EngineServer
{
    /// <summary>What a connection-level upgrade was accepted for: a new session, or the probe of a polling one.</summary>
    internal readonly record struct ConnectionUpgrade(EngineSession? Session, QueryValues Query, EngineProtocolVersion Protocol);

    /// <summary>
    /// Decides whether this server takes <paramref name="request"/> on without the HTTP layer. False whenever the
    /// HTTP path would refuse it or treat it in a way only it can (a custom AllowRequest, compression).
    /// </summary>
    internal bool TryTakeUpgrade(WebSocketUpgradeRequest request, IPAddress? remoteAddress, out ConnectionUpgrade upgrade)
    {
        upgrade = default;
        if (_options.AllowRequest is not null || _options.PerMessageDeflate || !_options.Transports.HasFlag(EngineTransports.WebSocket))
        {
            return false;
        }
        var query = request.QueryValues();
        if (query.Joined("transport") != "websocket")
        {
            return false;
        }
        var cors = _cors.Judge(request.Header("origin"), request.Header("host"));
        if (cors is not (CorsVerdict.SameOrigin or CorsVerdict.Allowed))
        {
            return false;
        }

        var sid = query.Joined("sid");
        if (sid.Length > 0)
        {
            if (!_options.AllowUpgrades || !_store.TryGet(sid, out var session) || session.Protocol != RevisionOf(query)
                || _store.WebSocketCount >= _options.MaxWebSocketConnections)
            {
                return false;
            }
            upgrade = new ConnectionUpgrade(session, query, session.Protocol);
            return true;
        }

        var protocol = RevisionOf(query);
        if (protocol == EngineProtocolVersion.V3 && !_options.AllowEIO3)
        {
            return false;
        }
        if (_store.Count >= _options.MaxSessions || _store.WebSocketCount >= _options.MaxWebSocketConnections)
        {
            return false;
        }
        if (_options.MaxHandshakesPerSecondPerIp > 0
            && !_handshakeRate.TryAcquire(ClientAddressOf(remoteAddress, request), _options.MaxHandshakesPerSecondPerIp))
        {
            return false;
        }
        upgrade = new ConnectionUpgrade(null, query, protocol);
        return true;
    }

    /// <summary>
    /// Serves a WebSocket accepted at the connection level until it ends; then <paramref name="connection"/>, when
    /// given, ends the connection under it.
    /// </summary>
    /// <remarks>
    /// Once the session is open this method returns the transport's own loop, which releases the connection when it
    /// ends (<see cref="WebSocketTransport.RunAndReleaseAsync"/>): nothing waits here, so an idle connection holds one
    /// state machine less.
    /// </remarks>
    internal Task ServeUpgradeAsync(
        ConnectionUpgrade upgrade,
        WebSocketUpgradeRequest request,
        IPAddress? remoteAddress,
        WebSocket socket,
        IConnectionEnd? connection = null,
        IWebSocketFrameWriter? frames = null)
    {
        _store.AddWebSocket();
        if (upgrade.Session is { } existing)
        {
            return ServeProbeUpgradeAsync(existing, request, socket, connection, frames);
        }
        WebSocketTransport transport;
        try
        {
            var handshake = new EngineHandshake(
                HeaderSnapshot.FromPairs(request.HeaderPairs),
                upgrade.Query,
                RecentStrings.Shared.Address(ClientAddressOf(remoteAddress, request)),
                IsSecure: false,
                request.Target,
                _time.GetUtcNow());
            var supportsBinary = string.IsNullOrEmpty(upgrade.Query.Joined("b64"));
            var session = new EngineSession(
                NewSessionId(), upgrade.Protocol, supportsBinary, handshake, _options, _handler, _store, _time, _logger);
            transport = StartWebSocketSession(socket, session, frames);
            var opened = session.OpenAsync(); // never fails: the session logs and closes on a handler's exception
            if (!opened.IsCompleted)
            {
                return RunWhenOpenedAsync(opened, transport, connection);
            }
        }
        catch (Exception ex)
        {
            EngineLog.RequestFailed(_logger, ex, "GET", request.Target);
            _store.RemoveWebSocket();
            connection?.End();
            return Task.CompletedTask;
        }
        return transport.RunAndReleaseAsync(connection);
    }

    /// <summary>The rare session whose handler answers the opening asynchronously.</summary>
    private static async Task RunWhenOpenedAsync(Task opened, WebSocketTransport transport, IConnectionEnd? connection)
    {
        await opened.ConfigureAwait(false);
        await transport.RunAndReleaseAsync(connection).ConfigureAwait(false);
    }

    private async Task ServeProbeUpgradeAsync(
        EngineSession existing, WebSocketUpgradeRequest request, WebSocket socket, IConnectionEnd? connection, IWebSocketFrameWriter? frames)
    {
        try
        {
            // The 101 is out already on this path; the first WebSocket to get here is the attempt, any other is closed.
            var attempt = existing.TryBeginUpgradeAttempt(socket) ? socket : null;
            await RunProbeAsync(socket, existing, attempt, frames).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or WebSocketException)
        {
            // The client went away: the session saw it and closed.
        }
        catch (Exception ex)
        {
            EngineLog.RequestFailed(_logger, ex, "GET", request.Target);
        }
        finally
        {
            _store.RemoveWebSocket();
            connection?.End();
        }
    }
}
