using System.Reflection;
using PushServer.EngineIO;
using PushServer.Hosting;
using PushServer.Metrics;
using PushServer.SocketIO;

namespace PushServer.PushApi;

/// <summary>Builds <see cref="ServerStats"/> from the live server.</summary>
internal sealed class StatsCollector(SocketIOServer io, EngineServer engine, PushServerMetrics metrics, DrainState drain, TimeProvider time)
{
    private readonly DateTimeOffset _started = time.GetUtcNow();

    /// <summary>The server's version, as <c>--version</c> prints it.</summary>
    public static string Version { get; } =
        typeof(StatsCollector).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? "0.0.0";

    /// <summary>A snapshot of the server's counts.</summary>
    public ServerStats Collect()
    {
        var counts = metrics.Sessions.CountByTransportAndProtocol();
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
