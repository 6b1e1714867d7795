namespace PushServer.Tests.Infrastructure;

/// <summary>
/// A test class whose tests each get a fresh real redis-server, and a list of what they start (executables, haproxy,
/// Node drivers), stopped before Redis whether the test passed or failed.
/// </summary>
public abstract class RedisEndToEndTest : IAsyncLifetime
{
    protected TestResources Resources { get; } = new();

    protected RedisServer Redis { get; private set; } = null!;

    public async Task InitializeAsync() => Redis = await RedisServer.StartAsync();

    public async Task DisposeAsync()
    {
        await Resources.DisposeAsync();
        await Redis.DisposeAsync();
    }
}
