namespace PushServer.SocketIO.Redis.Streams;

/// <summary>
/// A question asked of the other nodes through the stream, waiting for one answer from each node alive when it was
/// asked (socket.io-adapter's <c>missingUids</c>). A node that leaves meanwhile is no longer waited for; the answers
/// that arrived are kept when the wait times out.
/// </summary>
internal sealed class StreamClusterRequest
{
    private readonly Lock _lock = new();
    private readonly HashSet<string> _missing;
    private readonly List<Dictionary<string, object?>?> _answers = [];
    private readonly TaskCompletionSource _complete = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public StreamClusterRequest(IReadOnlyCollection<string> nodes)
    {
        Expected = nodes.Count;
        _missing = new HashSet<string>(nodes, StringComparer.Ordinal);
    }

    public int Expected { get; }

    public Task Completed => _complete.Task;

    public void Add(string uid, Dictionary<string, object?>? answer)
    {
        lock (_lock)
        {
            if (!_missing.Remove(uid))
            {
                return;
            }
            _answers.Add(answer);
            if (_missing.Count == 0)
            {
                _complete.TrySetResult();
            }
        }
    }

    public void Forget(string uid)
    {
        lock (_lock)
        {
            if (_missing.Remove(uid) && _missing.Count == 0)
            {
                _complete.TrySetResult();
            }
        }
    }

    /// <summary>The answers so far and the nodes that did not answer.</summary>
    public (List<Dictionary<string, object?>?> Answers, List<string> Missing) Snapshot()
    {
        lock (_lock)
        {
            var missing = _missing.ToList();
            missing.Sort(StringComparer.Ordinal);
            return ([.. _answers], missing);
        }
    }
}
