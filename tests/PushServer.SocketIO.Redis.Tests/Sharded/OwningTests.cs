namespace PushServer.SocketIO.Redis.Tests.Sharded;

/// <summary>A test class that stops every node, driver and client it started, the last started first, also on failure.</summary>
public abstract class OwningTests : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _owned = [];

    /// <summary>Takes <paramref name="resource"/> to dispose of when the test ends.</summary>
    private protected T Own<T>(T resource)
        where T : IAsyncDisposable
    {
        _owned.Add(resource);
        return resource;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        for (var i = _owned.Count - 1; i >= 0; i--)
        {
            await _owned[i].DisposeAsync();
        }
    }
}
