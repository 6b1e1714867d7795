namespace PushServer.SocketIO.Redis.Tests;

/// <summary>One Redis Cluster (three masters, three replicas) per test class: starting six nodes is the slow part.</summary>
public sealed class RedisClusterFixture : IAsyncLifetime
{
    /// <summary>The running cluster.</summary>
    public RedisClusterServers Cluster { get; private set; } = null!;

    /// <inheritdoc />
    public async Task InitializeAsync() => Cluster = await RedisClusterServers.StartAsync();

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (Cluster is not null)
        {
            await Cluster.DisposeAsync();
        }
    }
}
