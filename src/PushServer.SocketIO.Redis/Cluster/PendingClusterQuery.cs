namespace PushServer.SocketIO.Redis.Cluster;

/// <summary>
/// A question asked of the other nodes, waiting for <see cref="Expected"/> answers. When the nodes asked are known
/// (socket.io-adapter's <c>missingUids</c>), one answer is taken from each and a node that leaves meanwhile is no
/// longer waited for; otherwise answers are counted, once per node that names itself. The answers that arrived are
/// kept when the wait times out, so the caller reports what the live nodes said.
/// </summary>
internal sealed class PendingClusterQuery
{
    private readonly Lock _lock = new();
    private readonly HashSet<string>? _missing;
    private readonly List<object?> _responses = [];
    private readonly HashSet<string> _responders = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _complete = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _anonymous;

    public PendingClusterQuery(ClusterAudience audience)
    {
        Expected = audience.Count;
        _missing = audience.Nodes is null ? null : new HashSet<string>(audience.Nodes, StringComparer.Ordinal);
    }

    public int Expected { get; }

    /// <summary>True when the nodes asked are known by id, so the silent ones are those never heard.</summary>
    public bool KnowsNodes => _missing is not null;

    public Task Completed => _complete.Task;

    /// <summary>Adds an answer; <paramref name="uid"/> is the answering node when it said.</summary>
    public void Add(string? uid, object? response)
    {
        lock (_lock)
        {
            if (_complete.Task.IsCompleted)
            {
                return;
            }
            if (_missing is not null)
            {
                if (uid is null || !_missing.Remove(uid))
                {
                    return;
                }
            }
            else if (uid is null)
            {
                _anonymous++;
            }
            else if (!_responders.Add(uid))
            {
                return;
            }
            _responses.Add(response);
            if (_missing is not null ? _missing.Count == 0 : _responses.Count >= Expected)
            {
                _complete.TrySetResult();
            }
        }
    }

    /// <summary>A node that left: no longer waited for, when the nodes asked are known.</summary>
    public void Forget(string uid)
    {
        lock (_lock)
        {
            if (_missing is not null && _missing.Remove(uid) && _missing.Count == 0)
            {
                _complete.TrySetResult();
            }
        }
    }

    /// <summary>
    /// The answers so far, the ids of the nodes that gave them, how many answered without an id, and, when the nodes
    /// asked are known, those still silent (sorted).
    /// </summary>
    public (List<object?> Responses, HashSet<string> Responders, int Anonymous, List<string> Missing) Snapshot()
    {
        lock (_lock)
        {
            var missing = _missing is null ? [] : _missing.ToList();
            missing.Sort(StringComparer.Ordinal);
            return ([.. _responses], [.. _responders], _anonymous, missing);
        }
    }
}
