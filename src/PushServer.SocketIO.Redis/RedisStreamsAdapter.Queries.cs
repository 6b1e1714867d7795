using System.Text.Json;
using PushServer.SocketIO.Adapters;
using PushServer.SocketIO.Redis.Cluster;
using PushServer.SocketIO.Redis.Protocol;
using PushServer.SocketIO.Redis.Streams;

namespace PushServer.SocketIO.Redis;

public sealed partial class RedisStreamsAdapter
{
    /// <inheritdoc />
    protected override ValueTask<ClusterAudience?> GetAudienceAsync()
    {
        // Every node alive now: nodes that stop (ADAPTER_CLOSE, heartbeat timeout) meanwhile are not waited for.
        var nodes = LiveNodes();
        return ValueTask.FromResult<ClusterAudience?>(new ClusterAudience(nodes.Count, nodes));
    }

    /// <inheritdoc />
    private protected override Task PublishAsync(ClusterMessageType type, MessageData data) =>
        _cluster.AppendAsync(StreamMessageCodec.Encode(Uid, Namespace.Name, type, data, Json));

    /// <inheritdoc />
    /// <remarks>Every node reads the whole stream: an answer is written there like any message.</remarks>
    private protected override void PublishResponse(string? requesterUid, ClusterMessageType type, MessageData data) => Publish(type, data);

    /// <inheritdoc />
    protected override void LogQueryFailed(Exception exception) => Log.AppendFailed(_logger, Namespace.Name, exception);
}
