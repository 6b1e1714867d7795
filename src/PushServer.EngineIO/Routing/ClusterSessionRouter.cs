using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace PushServer.EngineIO.Routing;

/// <summary>
/// Routes requests for sessions of other nodes to their owner over HTTP, so clients need no sticky sessions: polling
/// GETs and POSTs are relayed (the owner's answer streamed back), a WebSocket upgrade is relayed for the connection's
/// lifetime. The owner is found from the node tag in the sid (<see cref="RoutedSessionIds"/>) and the
/// <see cref="INodeDirectory"/>; a request is relayed at most once (a relayed request carries
/// <see cref="RoutedHeader"/>, and the owner never routes it further), and an owner that is gone or unreachable leaves
/// the request to the usual <c>Session ID unknown</c>, upon which clients reconnect.
/// </summary>
public sealed partial class ClusterSessionRouter : IEngineSessionRouter, IDisposable
{
    /// <summary>The header a relayed request carries, naming the node that relayed it.</summary>
    public const string RoutedHeader = "X-PushServer-Routed";

    private readonly INodeDirectory _directory;
    private readonly HttpRelay _http;
    private readonly TimeSpan _connectTimeout;
    private readonly ILogger _logger;

    /// <summary>Creates the router of the node tagged <paramref name="nodeTag"/> (see <see cref="RoutedSessionIds.NewNodeTag"/>).</summary>
    /// <param name="nodeTag">This node's tag, the one it publishes in <paramref name="directory"/>.</param>
    /// <param name="directory">Where the other nodes are.</param>
    /// <param name="connectTimeout">How long reaching an owner may take before the request is refused as for an unknown sid.</param>
    /// <param name="loggerFactory">Logs relays and unreachable owners (category <c>PushServer.EngineIO</c>).</param>
    public ClusterSessionRouter(string nodeTag, INodeDirectory directory, TimeSpan? connectTimeout = null, ILoggerFactory? loggerFactory = null)
    {
        if (!RoutedSessionIds.TryGetNodeTag("x." + nodeTag, out _))
        {
            throw new ArgumentException("A node tag is 8 URL-safe base64 characters (RoutedSessionIds.NewNodeTag).", nameof(nodeTag));
        }
        NodeTag = nodeTag;
        _directory = directory ?? throw new ArgumentNullException(nameof(directory));
        _connectTimeout = connectTimeout ?? TimeSpan.FromSeconds(5);
        _http = new HttpRelay(_connectTimeout);
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("PushServer.EngineIO");
    }

    /// <summary>This node's tag, carried by every sid it makes.</summary>
    public string NodeTag { get; }

    /// <inheritdoc />
    public string NewSessionId() => RoutedSessionIds.New(NodeTag);

    /// <inheritdoc />
    public async Task<bool> TryServeAsync(HttpContext context, string sid, bool isUpgrade)
    {
        if (context.Request.Headers.ContainsKey(RoutedHeader)
            || !RoutedSessionIds.TryGetNodeTag(sid, out var tag)
            || tag == NodeTag)
        {
            // Relayed to us already, made by a node that does not route, or ours and gone: unknown here and everywhere.
            return false;
        }
        var owner = await _directory.FindAsync(tag, context.RequestAborted).ConfigureAwait(false);
        if (owner is null)
        {
            return false;
        }
        Log.Relaying(_logger, sid, context.Request.Method, isUpgrade ? "websocket" : "polling", owner);
        var served = isUpgrade
            ? await WebSocketRelay.RelayAsync(context, owner, NodeTag, _connectTimeout).ConfigureAwait(false)
            : await _http.RelayAsync(context, owner, NodeTag).ConfigureAwait(false);
        if (!served)
        {
            Log.OwnerUnreachable(_logger, sid, owner);
        }
        return served;
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();

    private static partial class Log
    {
        [LoggerMessage(EngineEventIds.SessionRelayed, LogLevel.Debug, "Engine.IO session {Sid} is another node's: relaying {Method} ({Transport}) to {Owner}.")]
        public static partial void Relaying(ILogger logger, string sid, string method, string transport, Uri owner);

        [LoggerMessage(EngineEventIds.SessionOwnerUnreachable, LogLevel.Information, "Engine.IO session {Sid}: its node at {Owner} could not be reached or refused it; answered as an unknown session, so the client reconnects.")]
        public static partial void OwnerUnreachable(ILogger logger, string sid, Uri owner);
    }
}
