using System.Text.Json;

namespace PushServer.SocketIO.Redis.Protocol;

/// <summary>
/// A question asked of the other nodes, waiting for <see cref="Expected"/> answers. The answers that arrived are
/// kept when the wait times out, so the caller reports what the live nodes said.
/// </summary>
internal sealed class ClusterRequest
{
    private readonly Lock _lock = new();
    private readonly List<JsonElement> _responses = [];
    private readonly HashSet<string> _responders = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _complete = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _anonymous;

    public ClusterRequest(RedisRequestType type, int expected)
    {
        Type = type;
        Expected = expected;
    }

    public RedisRequestType Type { get; }

    public int Expected { get; }

    public Task Completed => _complete.Task;

    /// <summary>Adds an answer; <paramref name="uid"/> is the answering node when it said (PushServer nodes do).</summary>
    public void Add(JsonElement response, string? uid)
    {
        lock (_lock)
        {
            if (_complete.Task.IsCompleted)
            {
                return;
            }
            if (uid is not null && !_responders.Add(uid))
            {
                return;
            }
            if (uid is null)
            {
                _anonymous++;
            }
            _responses.Add(response.Clone());
            if (_responses.Count >= Expected)
            {
                _complete.TrySetResult();
            }
        }
    }

    /// <summary>The answers so far, the ids of the nodes that gave them, and how many answered without an id.</summary>
    public (List<JsonElement> Responses, HashSet<string> Responders, int Anonymous) Snapshot()
    {
        lock (_lock)
        {
            return ([.. _responses], [.. _responders], _anonymous);
        }
    }
}
