namespace PushServer.SocketIO.Redis.Tests;

/// <summary>
/// Tests of two PushServer nodes given the seed list of the fixture's Redis Cluster: both start before each test and
/// stop after it, after whatever the test added to <see cref="Resources"/>.
/// </summary>
public abstract class ClusterNodePairTests(RedisClusterFixture fixture) : IAsyncLifetime
{
    private protected RedisClusterFixture Fixture => fixture;

    private protected TestResources Resources { get; } = new();

    private protected PushServerNode A { get; private set; } = null!;

    private protected PushServerNode B { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        A = Resources.Add(await PushServerNode.StartAsync(fixture.Cluster.Url, TimeSpan.FromSeconds(2)));
        B = Resources.Add(await PushServerNode.StartAsync(fixture.Cluster.Url, TimeSpan.FromSeconds(2)));
    }

    public async Task DisposeAsync() => await Resources.DisposeAsync();
}
