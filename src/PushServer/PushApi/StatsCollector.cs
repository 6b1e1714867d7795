using System.Reflection;
using PushServer.EngineIO;
using PushServer.Hosting;
using PushServer.Metrics;
using PushServer.SocketIO;
using PushServer.SocketIO.Adapters;

namespace PushServer.PushApi;

/// <summary>Builds <see cref="ServerStats"/> from the live server.</summary>
internal sealed class StatsCollector(SocketIOServer io, EngineServer engine, DrainState drain, TimeProvider time)
{
    private readonly DateTimeOffset _started = time.GetUtcNow();

    /// <summary>The server's version, as <c>--version</c> prints it.</summary>
    public static string Version { get; } =
        typeof(StatsCollector).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? "0.0.0";

    /// <summary>A snapshot of the server's counts, with the cluster's when nodes share an adapter.</summary>
    public async Task<ServerStats> CollectAsync(CancellationToken cancellationToken)
    {
        var local = Collect();
        var clusterNamespaces = new List<NamespaceStats>();
        ClusterResult<IReadOnlyList<RemoteSocket>>? last = null;
        foreach (var nsp in io.Namespaces.OrderBy(n => n.Name, StringComparer.Ordinal))
        {
            // An empty room list selects every socket, on every node the adapter reaches.
            last = await nsp.To(Array.Empty<string>()).FetchSocketsFromClusterAsync(cancellationToken).ConfigureAwait(false);
            var sockets = last.Value;
            var ids = sockets.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
            var rooms = sockets.SelectMany(s => s.Rooms).Where(r => !ids.Contains(r)).Distinct(StringComparer.Ordinal).Count();
            clusterNamespaces.Add(new NamespaceStats(nsp.Name, ids.Count, rooms));
        }
        if (last is null || (last.ExpectedNodeCount == 0 && last.ClusterReachable))
        {
            return local;
        }
        // The adapter counts the other nodes; the stats count this one too.
        return local with
        {
            Cluster = new ClusterStats(last.ExpectedNodeCount + 1, last.RespondedNodeCount + 1, last.ClusterReachable, clusterNamespaces),
        };
    }

    /// <summary>A snapshot of this node's counts.</summary>
    public ServerStats Collect()
    {
        var counts = PushServerMetrics.CountByTransportAndProtocol(engine);
        var namespaces = io.Namespaces
            .Select(nsp =>
            {
                var ids = nsp.Sockets.Keys.ToHashSet(StringComparer.Ordinal);
                var rooms = nsp.Sockets.Values.SelectMany(s => s.Rooms).Where(r => !ids.Contains(r)).Distinct(StringComparer.Ordinal).Count();
                return new NamespaceStats(nsp.Name, ids.Count, rooms);
            })
            .OrderBy(n => n.Name, StringComparer.Ordinal)
            .ToList();
        return new ServerStats
        {
            Version = Version,
            UptimeSeconds = Math.Round((time.GetUtcNow() - _started).TotalSeconds, 1),
            Draining = drain.IsDraining,
            Connections = engine.SessionCount,
            Transports = new SortedDictionary<string, int>(
                counts.GroupBy(c => c.Key.Transport).ToDictionary(g => g.Key, g => g.Sum(c => c.Value)), StringComparer.Ordinal),
            Protocols = new SortedDictionary<string, int>(
                counts.GroupBy(c => c.Key.Protocol).ToDictionary(g => g.Key, g => g.Sum(c => c.Value)), StringComparer.Ordinal),
            SendQueueBytes = engine.OutboundQueueBytes,
            Namespaces = namespaces,
        };
    }
}
