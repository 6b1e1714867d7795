namespace PushServer.Tests.Infrastructure;

/// <summary>
/// A test class whose tests start servers and client processes: what a test adds to <see cref="Resources"/> is
/// disposed when it ends, also when it failed, clients before the servers they talk to.
/// </summary>
public abstract class ResourceTests : IAsyncLifetime
{
    protected TestResources Resources { get; } = new();

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync() => await Resources.DisposeAsync();

    /// <summary>Starts the in-process server with <paramref name="settings"/>; it is disposed after its clients.</summary>
    protected async Task<InProcessServer> StartInProcessAsync(Dictionary<string, string?>? settings = null) =>
        Resources.AddDisposedLast(await InProcessServer.StartAsync(settings));

    /// <summary>Starts a socket.io-client process with <paramref name="config"/> without waiting for it to connect.</summary>
    protected async Task<NodeClient> StartClientAsync(SocketIOClientConfig config) =>
        Resources.Add(await NodeClient.StartSocketIOAsync(config));

    /// <summary>Starts a socket.io-client process and waits until it connected; returns it with its socket id.</summary>
    protected async Task<(NodeClient Client, string Id)> ConnectClientAsync(SocketIOClientConfig config)
    {
        var client = await StartClientAsync(config);
        var connect = await client.WaitForEventAsync("connect");
        return (client, connect.GetProperty("id").GetString()!);
    }
}
