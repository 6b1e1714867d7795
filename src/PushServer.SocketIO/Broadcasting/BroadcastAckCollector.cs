namespace PushServer.SocketIO;

/// <summary>
/// Gathers the answers to a broadcast with acks: complete once every node reported its client count and that
/// many answers arrived, as socket.io's <c>checkCompleteness</c>.
/// </summary>
internal sealed class BroadcastAckCollector
{
    private readonly Lock _lock = new();
    private readonly List<SocketIOArgs> _responses = [];
    private readonly TaskCompletionSource<IReadOnlyList<SocketIOArgs>> _tcs = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _expectedServers = -1;
    private int _reportedServers;
    private int _expectedClients;

    public Task<IReadOnlyList<SocketIOArgs>> Task => _tcs.Task;

    public void OnClientCount(int count)
    {
        lock (_lock)
        {
            _expectedClients += count;
            _reportedServers++;
            CheckComplete();
        }
    }

    public void OnAck(SocketIOArgs args)
    {
        lock (_lock)
        {
            if (_tcs.Task.IsCompleted)
            {
                return;
            }
            _responses.Add(args);
            CheckComplete();
        }
    }

    public void OnServerCount(int count)
    {
        lock (_lock)
        {
            _expectedServers = count;
            CheckComplete();
        }
    }

    public (IReadOnlyList<SocketIOArgs> Responses, int Expected) Snapshot()
    {
        lock (_lock)
        {
            return ([.. _responses], _expectedClients);
        }
    }

    private void CheckComplete()
    {
        if (_expectedServers == _reportedServers && _responses.Count == _expectedClients)
        {
            _tcs.TrySetResult([.. _responses]);
        }
    }
}
