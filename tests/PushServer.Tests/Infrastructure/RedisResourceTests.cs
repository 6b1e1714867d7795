namespace PushServer.Tests.Infrastructure;

/// <summary>
/// A <see cref="ResourceTests"/> whose tests share one real redis-server, started before each test and stopped after
/// everything the test started.
/// </summary>
public abstract class RedisResourceTests : ResourceTests
{
    protected RedisServer Redis { get; private set; } = null!;

    public override async Task InitializeAsync() => Redis = await RedisServer.StartAsync();

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Redis.DisposeAsync();
    }
}
