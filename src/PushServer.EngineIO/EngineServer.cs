using System.Net;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using PushServer.EngineIO.ConnectionLevelWebSockets;
using PushServer.EngineIO.Handshakes;
using PushServer.EngineIO.Hosting;
using PushServer.EngineIO.Protocol;
using PushServer.EngineIO.Sessions;
using PushServer.EngineIO.Transports;

namespace PushServer.EngineIO;

/// <summary>
/// One Engine.IO endpoint: verifies each request in the reference's order, opens sessions, and hands requests
/// for existing sessions to their transport. Mount it with
/// <see cref="EngineIOEndpointRouteBuilderExtensions.MapEngineIO(Microsoft.AspNetCore.Routing.IEndpointRouteBuilder, string, EngineServer)"/>.
/// </summary>
public sealed partial class EngineServer
{
    private readonly IEngineConnectionHandler _handler;
    private readonly EngineIOOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly EngineSessionStore _store;
    private readonly EngineCors _cors;
    private readonly HandshakeRateLimiter _handshakeRate;
    private readonly RefusedOriginLog _refusedOrigins;
    private readonly ForwardedClientAddress _clientAddress;
    private long _unknownSessionRefusals;

    /// <summary>Creates an endpoint that reports sessions to <paramref name="handler"/>.</summary>
    public EngineServer(IEngineConnectionHandler handler, EngineIOOptions options, TimeProvider? time = null, ILoggerFactory? loggerFactory = null)
    {
        _handler = handler ?? throw new ArgumentNullException(nameof(handler));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _time = time ?? TimeProvider.System;
        if (options.TimerCoalescing < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.TimerCoalescing, "EngineIOOptions.TimerCoalescing must not be negative.");
        }
        _store = new EngineSessionStore(_time, options.TimerCoalescing);
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("PushServer.EngineIO");
        _cors = new EngineCors(options.Cors);
        _refusedOrigins = new RefusedOriginLog(_logger, options.Cors.RefusedOriginAdvice);
        _handshakeRate = new HandshakeRateLimiter(_time);
        _clientAddress = new ForwardedClientAddress(options.TrustedProxies);
    }

    /// <summary>WebSocket connections open now, upgrade probes included.</summary>
    public int WebSocketCount => _store.WebSocketCount;

    /// <summary>Bytes all WebSocket connections hold now in messages still missing fragments.</summary>
    public long PendingWebSocketBytes => _store.PendingWebSocketBytes;

    /// <summary>The endpoint's logger (category <c>PushServer.EngineIO</c>).</summary>
    internal ILogger Logger => _logger;

    /// <summary>The shared deadline timer of this endpoint's sessions (and of its listener's connections awaiting a request).</summary>
    internal DeadlineScheduler Deadlines => _store.Deadlines;

    /// <summary>The options this endpoint runs with.</summary>
    public EngineIOOptions Options => _options;

    /// <summary>Sessions currently open (or still delivering their close).</summary>
    public int SessionCount => _store.Count;

    /// <summary>
    /// The open sessions, for monitoring (counting them by transport, say): enumerated live, without a copy, so a session
    /// opened or closed meanwhile may or may not be seen. Read it at scrape intervals, not per packet.
    /// </summary>
    public IEnumerable<IEngineSession> OpenSessions
    {
        get
        {
            foreach (var session in _store.Live())
            {
                if (session.IsOpen)
                {
                    yield return session;
                }
            }
        }
    }

    /// <summary>
    /// Bytes queued on every open session and not yet written to a transport, for monitoring. Walks the sessions,
    /// so read it at scrape intervals, not per packet.
    /// </summary>
    public long OutboundQueueBytes
    {
        get
        {
            long total = 0;
            foreach (var session in _store.Snapshot())
            {
                total += session.QueuedBytes;
            }
            return total;
        }
    }

    /// <summary>
    /// Requests refused with <c>Session ID unknown</c> (code 1) since the server started: a sid that no node holds
    /// (expired, closed, or of a node that died), or, behind a load balancer without affinity, one whose owner could
    /// not be reached. Clients reconnect on each, so a steady rise means sessions are being lost.
    /// </summary>
    public long UnknownSessionRefusals => Interlocked.Read(ref _unknownSessionRefusals);

    /// <summary>Closes every session, e.g. with <see cref="EngineCloseReason.ServerShuttingDown"/> when the host stops.</summary>
    public void CloseAll(EngineCloseReason reason = EngineCloseReason.ServerShuttingDown)
    {
        foreach (var session in _store.Snapshot())
        {
            session.Close(reason);
        }
    }

    /// <summary>Serves one HTTP request or WebSocket upgrade addressed to the endpoint.</summary>
    public async Task HandleRequestAsync(HttpContext context)
    {
        try
        {
            await DispatchAsync(context).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException && context.RequestAborted.IsCancellationRequested)
        {
            // The client went away mid-request: nothing to answer.
        }
        catch (Exception ex)
        {
            EngineLog.RequestFailed(_logger, ex, context.Request.Method, context.Request.Path);
            if (!context.Response.HasStarted)
            {
                context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            }
        }
    }

    private Task RefuseByLimitAsync(HttpContext context, string limit, int status, string message, bool isUpgrade)
    {
        EngineLog.LimitRefused(_logger, limit, context.Request.Method, context.Request.Path, ClientAddressOf(context)?.ToString() ?? "");
        EngineMetrics.Limit(limit);
        return EngineErrorResponder.WriteAsync(context, EngineError.Forbidden, isUpgrade, message, status);
    }

    private Task RefuseAsync(HttpContext context, EngineError error, bool isUpgrade, string? message = null)
    {
        EngineLog.RequestRefused(_logger, (int)error, message ?? EngineErrorResponder.MessageOf(error), context.Request.Method, context.Request.Path);
        return EngineErrorResponder.WriteAsync(context, error, isUpgrade, message);
    }

    private async Task DispatchAsync(HttpContext context)
    {
        var request = context.Request;
        var isUpgrade = context.WebSockets.IsWebSocketRequest;
        var cors = _cors.Apply(context);
        if (cors == CorsVerdict.Allowed && HttpMethods.IsOptions(request.Method) && !isUpgrade)
        {
            EngineCors.WritePreflight(context);
            return;
        }

        // Verification, in the reference's order. The query is parsed here rather than through Request.Query, whose
        // collection would otherwise stay referenced by a WebSocket's request for the connection's lifetime.
        var query = new QueryValues(request.QueryString.Value);
        var transport = query.Joined("transport");
        var transportEnabled = transport switch
        {
            "polling" => _options.Transports.HasFlag(EngineTransports.Polling),
            "websocket" => _options.Transports.HasFlag(EngineTransports.WebSocket),
            _ => false,
        };
        if (!transportEnabled)
        {
            await RefuseAsync(context, EngineError.UnknownTransport, isUpgrade).ConfigureAwait(false);
            return;
        }
        if (cors == CorsVerdict.Invalid)
        {
            await RefuseAsync(context, EngineError.BadRequest, isUpgrade).ConfigureAwait(false);
            return;
        }
        if (cors == CorsVerdict.Refused)
        {
            _refusedOrigins.Refused(request.Headers.Origin.ToString(), request.Host.Value ?? "");
            await RefuseAsync(context, EngineError.Forbidden, isUpgrade).ConfigureAwait(false);
            return;
        }

        var sid = query.Joined("sid");
        if (sid.Length > 0)
        {
            await ServeSessionAsync(context, sid, transport, RevisionOf(query), isUpgrade).ConfigureAwait(false);
            return;
        }
        await HandshakeAsync(context, query, transport, isUpgrade).ConfigureAwait(false);
    }

    private async Task ServeSessionAsync(HttpContext context, string sid, string transport, EngineProtocolVersion protocol, bool isUpgrade)
    {
        if (!_store.TryGet(sid, out var session))
        {
            if (_options.SessionRouter is { } router && await router.TryServeAsync(context, sid, isUpgrade).ConfigureAwait(false))
            {
                return;
            }
            Interlocked.Increment(ref _unknownSessionRefusals);
            await RefuseAsync(context, EngineError.UnknownSid, isUpgrade).ConfigureAwait(false);
            return;
        }
        if (protocol != session.Protocol)
        {
            // One session, one revision (the reference's PROTOCOL_MISMATCH): the payload framings differ.
            await RefuseAsync(context, EngineError.BadRequest, isUpgrade).ConfigureAwait(false);
            return;
        }
        if (isUpgrade)
        {
            if (transport != "websocket" || !_options.AllowUpgrades)
            {
                await RefuseAsync(context, EngineError.BadRequest, isUpgrade).ConfigureAwait(false);
                return;
            }
            if (_store.WebSocketCount >= _options.MaxWebSocketConnections)
            {
                await RefuseByLimitAsync(context, "max_websockets", StatusCodes.Status503ServiceUnavailable, "Server full", isUpgrade).ConfigureAwait(false);
                return;
            }
            _store.AddWebSocket();
            try
            {
                await ServeProbeAsync(context, session).ConfigureAwait(false);
            }
            finally
            {
                _store.RemoveWebSocket();
            }
            return;
        }
        if (transport != session.TransportName || session.Transport is not PollingTransport polling)
        {
            await RefuseAsync(context, EngineError.BadRequest, isUpgrade).ConfigureAwait(false);
            return;
        }
        if (HttpMethods.IsGet(context.Request.Method))
        {
            await polling.HandleGetAsync(context).ConfigureAwait(false);
        }
        else if (HttpMethods.IsPost(context.Request.Method))
        {
            await polling.HandlePostAsync(context).ConfigureAwait(false);
        }
        else
        {
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
        }
    }

    private async Task ServeProbeAsync(HttpContext context, EngineSession session)
    {
        // The attempt is claimed before the 101 goes out, as engine.io decides within the upgrade's own tick: a second
        // WebSocket for the session that arrives once the first is open is always the one closed.
        var attempt = session.TryBeginUpgradeAttempt(context) ? context : null;
        WebSocket socket;
        try
        {
            socket = await AcceptWebSocketAsync(context).ConfigureAwait(false);
        }
        catch
        {
            if (attempt is not null)
            {
                session.EndUpgradeAttempt(attempt);
            }
            throw;
        }
        await RunProbeAsync(socket, session, attempt).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs an upgrade probe of a polling session over an accepted WebSocket, for <paramref name="attempt"/> (see
    /// <see cref="EngineSession.TryBeginUpgradeAttempt"/>; null when it was refused). The transport owns the socket from
    /// here on and disposes it (see <see cref="WebSocketTransport.Dispose"/>).
    /// </summary>
    private static async Task RunProbeAsync(WebSocket socket, EngineSession session, object? attempt, IWebSocketFrameWriter? frames = null)
    {
        using var probe = new WebSocketTransport(socket, session, frames);
        if (attempt is null || !session.AttachProbe(attempt, probe))
        {
            // Not open, not polling, already upgraded or upgrading: accepted at the HTTP level, then closed at once, as
            // the reference does.
            await socket.CloseOutputAsync(WebSocketTransport.ServerCloseStatus, null, CancellationToken.None).ConfigureAwait(false);
            return;
        }
        try
        {
            await probe.RunUpgradeAsync().ConfigureAwait(false);
        }
        finally
        {
            // Whatever ended the probe, the next attempt may begin (a no-op once the probe took over the session).
            session.EndUpgradeAttempt(probe);
        }
    }

    /// <summary>
    /// Opens <paramref name="session"/> over an accepted WebSocket and serves it until it ends; the transport owns the
    /// socket and disposes it.
    /// </summary>
    private async Task RunWebSocketSessionAsync(WebSocket socket, EngineSession session)
    {
        using var transport = StartWebSocketSession(socket, session);
        await session.OpenAsync().ConfigureAwait(false);
        await transport.RunAsync().ConfigureAwait(false);
    }

    /// <summary>Gives a new session its WebSocket transport and queues its OPEN packet; the caller then opens and runs it.</summary>
    private WebSocketTransport StartWebSocketSession(WebSocket socket, EngineSession session, IWebSocketFrameWriter? frames = null)
    {
        var transport = new WebSocketTransport(socket, session, frames);
        session.Start(transport);
        session.Send(OpenPacket.Create(session.Id, offerWebSocketUpgrade: false, _options));
        return transport;
    }

    private async Task HandshakeAsync(HttpContext context, QueryValues query, string transport, bool isUpgrade)
    {
        var request = context.Request;
        if (!HttpMethods.IsGet(request.Method))
        {
            await RefuseAsync(context, EngineError.BadHandshakeMethod, isUpgrade).ConfigureAwait(false);
            return;
        }
        if (transport == "websocket" && !isUpgrade)
        {
            await RefuseAsync(context, EngineError.BadRequest, isUpgrade).ConfigureAwait(false);
            return;
        }
        if (_options.AllowRequest is { } allowRequest)
        {
            var verdict = await allowRequest(context).ConfigureAwait(false);
            if (!verdict.Allowed)
            {
                await RefuseAsync(context, EngineError.Forbidden, isUpgrade, verdict.Message).ConfigureAwait(false);
                return;
            }
        }
        var protocol = RevisionOf(query);
        if (protocol == EngineProtocolVersion.V3 && !_options.AllowEIO3)
        {
            await RefuseAsync(context, EngineError.UnsupportedProtocolVersion, isUpgrade).ConfigureAwait(false);
            return;
        }

        if (_store.Count >= _options.MaxSessions)
        {
            await RefuseByLimitAsync(context, "max_sessions", StatusCodes.Status503ServiceUnavailable, "Server full", isUpgrade).ConfigureAwait(false);
            return;
        }
        if (isUpgrade && _store.WebSocketCount >= _options.MaxWebSocketConnections)
        {
            await RefuseByLimitAsync(context, "max_websockets", StatusCodes.Status503ServiceUnavailable, "Server full", isUpgrade).ConfigureAwait(false);
            return;
        }
        if (_options.MaxHandshakesPerSecondPerIp > 0
            && !_handshakeRate.TryAcquire(ClientAddressOf(context), _options.MaxHandshakesPerSecondPerIp))
        {
            await RefuseByLimitAsync(context, "handshake_rate", StatusCodes.Status429TooManyRequests, "Too many handshakes", isUpgrade).ConfigureAwait(false);
            return;
        }

        var jsonp = protocol == EngineProtocolVersion.V3 && transport == "polling" && query.ContainsKey("j")
            ? new string(query.Joined("j").Where(char.IsAsciiDigit).ToArray())
            : null;
        var supportsBinary = jsonp is null && string.IsNullOrEmpty(query.Joined("b64"));
        var session = new EngineSession(
            NewSessionId(), protocol, supportsBinary, CaptureHandshake(context, query), _options, _handler, _store, _time, _logger);

        if (transport == "polling")
        {
            var polling = new PollingTransport(session, jsonp);
            session.Start(polling);
            var offerUpgrade = _options.AllowUpgrades && _options.Transports.HasFlag(EngineTransports.WebSocket);
            await polling.WriteHandshakeAsync(context, OpenPacket.Create(session.Id, offerUpgrade, _options)).ConfigureAwait(false);
            await session.OpenAsync().ConfigureAwait(false);
            return;
        }

        _store.AddWebSocket();
        try
        {
            var socket = await AcceptWebSocketAsync(context).ConfigureAwait(false);
            await RunWebSocketSessionAsync(socket, session).ConfigureAwait(false);
        }
        finally
        {
            _store.RemoveWebSocket();
        }
    }

    /// <summary>The id of a new session: the router's when sessions are routed between nodes (it names this node).</summary>
    private string NewSessionId() => _options.SessionRouter?.NewSessionId() ?? SessionId.New();

    /// <summary>The protocol revision a request names: any EIO other than "4", missing included, means v3, as in the reference.</summary>
    private static EngineProtocolVersion RevisionOf(QueryValues query) =>
        query.Joined("EIO") == "4" ? EngineProtocolVersion.V4 : EngineProtocolVersion.V3;

    private Task<WebSocket> AcceptWebSocketAsync(HttpContext context) =>
        context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
        {
            DangerousEnableCompression = _options.PerMessageDeflate,
            // Engine.IO has its own heartbeat; WebSocket-level pings would only add traffic.
            KeepAliveInterval = TimeSpan.Zero,
        });

    /// <summary>The client's address: the TCP peer's, or behind a trusted proxy the one its <c>X-Forwarded-For</c> names.</summary>
    private IPAddress? ClientAddressOf(HttpContext context) =>
        _clientAddress.IsEnabled
            ? _clientAddress.Resolve(context.Connection.RemoteIpAddress, context.Request.Headers["X-Forwarded-For"].ToString())
            : context.Connection.RemoteIpAddress;

    /// <summary>The client's address for a request read below the HTTP layer, as <see cref="ClientAddressOf(HttpContext)"/>.</summary>
    private IPAddress? ClientAddressOf(IPAddress? peer, WebSocketUpgradeRequest request) =>
        _clientAddress.IsEnabled ? _clientAddress.Resolve(peer, request.Header("x-forwarded-for")) : peer;

    /// <summary>
    /// What the session keeps of its opening request: a compact copy of the headers (the request's own collection is
    /// reused by the connection's next request), the query as the raw string parsed once, and no reference to the
    /// request itself.
    /// </summary>
    private EngineHandshake CaptureHandshake(HttpContext context, QueryValues query)
    {
        var request = context.Request;
        return new EngineHandshake(
            HeaderSnapshot.Capture(request.Headers),
            query,
            RecentStrings.Shared.Address(ClientAddressOf(context)),
            request.IsHttps,
            request.PathBase + request.Path + request.QueryString,
            _time.GetUtcNow());
    }
}
