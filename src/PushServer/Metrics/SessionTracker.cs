using System.Collections.Concurrent;
using PushServer.EngineIO;

namespace PushServer.Metrics;

/// <summary>The open sessions, so transports (which change on upgrade) are counted when asked, not when they change.</summary>
internal sealed class SessionTracker
{
    private readonly ConcurrentDictionary<string, IEngineSession> _sessions = new(StringComparer.Ordinal);

    /// <summary>Open sessions.</summary>
    public int Count => _sessions.Count;

    internal void Add(IEngineSession session) => _sessions[session.Id] = session;

    internal void Remove(IEngineSession session) => _sessions.TryRemove(session.Id, out _);

    /// <summary>Open sessions by current transport name and Engine.IO protocol (<c>3</c> or <c>4</c>).</summary>
    public Dictionary<(string Transport, string Protocol), int> CountByTransportAndProtocol()
    {
        var counts = new Dictionary<(string, string), int>();
        foreach (var session in _sessions.Values)
        {
            var key = (session.TransportName, PushServerMetrics.ProtocolLabel(session.Protocol));
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }
        return counts;
    }
}
