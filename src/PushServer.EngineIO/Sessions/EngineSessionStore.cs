using System.Collections.Concurrent;

namespace PushServer.EngineIO.Sessions;

/// <summary>The live sessions of one Engine.IO endpoint, by id.</summary>
internal sealed class EngineSessionStore
{
    private readonly ConcurrentDictionary<string, EngineSession> _sessions = new(StringComparer.Ordinal);

    public int Count => _sessions.Count;

    public void Add(EngineSession session) => _sessions[session.Id] = session;

    public bool TryGet(string id, out EngineSession session) => _sessions.TryGetValue(id, out session!);

    public void Remove(EngineSession session) => _sessions.TryRemove(new KeyValuePair<string, EngineSession>(session.Id, session));

    public IEnumerable<EngineSession> Snapshot() => _sessions.Values.ToArray();
}
