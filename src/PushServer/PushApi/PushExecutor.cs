using System.Text.Json;
using Microsoft.Extensions.Options;
using PushServer.Configuration;
using PushServer.Metrics;
using PushServer.SocketIO;
using PushServer.SocketIO.Adapters;

namespace PushServer.PushApi;

/// <summary>
/// Runs every <see cref="PushRequest"/> against the Socket.IO server through its public broadcast operators, so the
/// same request reaches every node once a cluster adapter is in place.
/// </summary>
internal sealed class PushExecutor
{
    /// <summary>
    /// How long the web-msg-sender form waits for the other nodes to say whether the user is there, when this node has
    /// none of the user's sockets: an answer takes a millisecond on a healthy cluster, and 1 s covers a busy node's
    /// pauses, while a node silent longer could not deliver the push now anyway.
    /// </summary>
    private static readonly TimeSpan PresenceTimeout = TimeSpan.FromSeconds(1);

    private readonly SocketIOServer _io;
    private readonly StatsCollector _stats;
    private readonly PushServerMetrics _metrics;
    private readonly HashSet<string> _namespaces;

    /// <summary>Creates the executor; namespaces outside <see cref="SocketIOSettings.Namespaces"/> are refused.</summary>
    public PushExecutor(SocketIOServer io, StatsCollector stats, PushServerMetrics metrics, IOptions<SocketIOSettings> settings)
    {
        _io = io;
        _stats = stats;
        _metrics = metrics;
        _namespaces = new HashSet<string>(settings.Value.Namespaces, StringComparer.Ordinal) { "/" };
    }

    /// <summary>Carries out <paramref name="request"/>.</summary>
    /// <exception cref="PushApiException">The namespace is unknown, the event reserved, or its packet too large for any client.</exception>
    public async Task<PushResult> ExecuteAsync(PushRequest request, CancellationToken cancellationToken)
    {
        if (request.Operation == PushOperation.Stats)
        {
            return new PushResult { Stats = await _stats.CollectAsync(cancellationToken).ConfigureAwait(false) };
        }
        var nsp = FindNamespace(request.Namespace);
        var selection = nsp.To(request.SocketId is null ? request.Rooms : [.. request.Rooms, request.SocketId]).Except(request.Except);
        switch (request.Operation)
        {
            case PushOperation.Emit:
                try
                {
                    return await EmitAsync(selection, request, cancellationToken).ConfigureAwait(false);
                }
                catch (SocketIOPacketTooLargeException ex)
                {
                    // Refused before anything was sent: a clear 413 rather than a 200 for a packet every recipient's
                    // queue would have to drop.
                    _metrics.OversizedEmit("push");
                    throw new PushApiException(PushErrorCode.PacketTooLarge,
                        $"The event is {ex.Size} bytes once encoded for clients, more than EngineIO:MaxOutboundQueueBytes ({ex.Limit} bytes), " +
                        "the most a client can be sent; nothing was sent. JSON escaping counts: an emoji takes 12 bytes, a control character 6.");
                }
            case PushOperation.Join:
            {
                var count = await CountOnThisNodeAsync(selection, cancellationToken).ConfigureAwait(false);
                selection.SocketsJoin([.. request.TargetRooms]);
                return new PushResult { Recipients = count };
            }
            case PushOperation.Leave:
            {
                var count = await CountOnThisNodeAsync(selection, cancellationToken).ConfigureAwait(false);
                selection.SocketsLeave([.. request.TargetRooms]);
                return new PushResult { Recipients = count };
            }
            case PushOperation.Disconnect:
            {
                var count = await CountOnThisNodeAsync(selection, cancellationToken).ConfigureAwait(false);
                selection.DisconnectSockets(request.Close);
                return new PushResult { Recipients = count };
            }
            case PushOperation.ListSockets:
            {
                var sockets = await selection.FetchSocketsAsync(cancellationToken).ConfigureAwait(false);
                return new PushResult { Sockets = [.. sockets.Select(Describe).OrderBy(s => s.Id, StringComparer.Ordinal)] };
            }
            case PushOperation.ListRooms:
            {
                var sockets = await selection.FetchSocketsAsync(cancellationToken).ConfigureAwait(false);
                var rooms = sockets
                    .SelectMany(s => s.Rooms.Where(r => r != s.Id))
                    .GroupBy(r => r, StringComparer.Ordinal)
                    .Select(g => new RoomInfo(g.Key, g.Count()))
                    .OrderBy(r => r.Name, StringComparer.Ordinal);
                return new PushResult { Rooms = [.. rooms] };
            }
            default:
                throw new PushApiException(PushErrorCode.InvalidRequest, $"Unsupported operation {request.Operation}.");
        }
    }

    /// <summary>
    /// Emits and counts the recipients from the broadcast itself, never with a query of every node: without acks, the
    /// clients of this node (other nodes report nothing back); with acks, this node's clients plus those each other
    /// node reported before the ack timeout. So a push answers at once, or at its own ack timeout, whatever other nodes
    /// do.
    /// </summary>
    private static async Task<PushResult> EmitAsync(BroadcastOperator selection, PushRequest request, CancellationToken cancellationToken)
    {
        var eventName = request.Event ?? throw new PushApiException(PushErrorCode.MissingParameter, "event is required.");
        if (request.AckTimeout is not { } timeout)
        {
            var sent = await (request.Volatile ? selection.Volatile : selection)
                .EmitAsync(eventName, [.. request.Args], cancellationToken).ConfigureAwait(false);
            var recipients = sent.LocalRecipients;
            var offline = request.Reply == PushReplyStyle.WebMsgSender && request.Rooms.Count > 0 && recipients == 0
                && !await IsPresentElsewhereAsync(selection, sent.Reach, cancellationToken).ConfigureAwait(false);
            return new PushResult { Recipients = recipients, Reach = sent.Reach, Offline = offline };
        }
        var withAck = (request.Volatile ? selection.Volatile : selection).Timeout(timeout);
        try
        {
            var responses = await withAck.EmitWithAckAsync(eventName, request.Args, cancellationToken).ConfigureAwait(false);
            // Complete: every node reported its count and every counted client answered.
            return new PushResult { Recipients = responses.Count, Acks = [.. responses.Select(FirstArgument)] };
        }
        catch (SocketIOAckTimeoutException ex)
        {
            return new PushResult
            {
                Recipients = ex.Expected,
                Acks = [.. ex.Responses.Select(FirstArgument)],
                AckTimedOut = true,
            };
        }
    }

    /// <summary>
    /// Whether another node holds a selected socket, for web-msg-sender's <c>offline</c>: asked only when this node has
    /// none, and only of the selected room's sockets, waiting at most <see cref="PresenceTimeout"/>. A node that did not
    /// answer by then counts as not holding one.
    /// </summary>
    private static async Task<bool> IsPresentElsewhereAsync(BroadcastOperator selection, BroadcastReach reach, CancellationToken cancellationToken)
    {
        if (reach != BroadcastReach.Cluster)
        {
            return false;
        }
        var found = await selection.Timeout(PresenceTimeout).FetchSocketsFromClusterAsync(cancellationToken).ConfigureAwait(false);
        return found.Value.Count > 0;
    }

    /// <summary>
    /// The selected sockets this node holds, counted before the operation acts on them. Join, leave and disconnect
    /// are handed to every node, which report nothing back (as socket.io's <c>socketsJoin</c> and friends), so the
    /// count never waits for another node: a hung node cannot hold up an operator kicking a user.
    /// </summary>
    private static async Task<int> CountOnThisNodeAsync(BroadcastOperator selection, CancellationToken cancellationToken) =>
        (await selection.Local.FetchSocketsAsync(cancellationToken).ConfigureAwait(false)).Count;

    private static JsonElement? FirstArgument(SocketIOArgs args) => args.Count > 0 ? args[0].Clone() : null;

    private static SocketInfo Describe(RemoteSocket socket) => new(
        socket.Id,
        [.. socket.Rooms.Where(r => r != socket.Id).OrderBy(r => r, StringComparer.Ordinal)],
        socket.Handshake.Address,
        socket.Handshake.Issued,
        socket.Handshake.Secure);

    private SocketIONamespace FindNamespace(string name)
    {
        if (_namespaces.Contains(name))
        {
            foreach (var nsp in _io.Namespaces)
            {
                if (nsp.Name == name)
                {
                    return nsp;
                }
            }
        }
        throw new PushApiException(PushErrorCode.UnknownNamespace, $"Namespace {name} is not served (see SocketIO:Namespaces).");
    }
}
