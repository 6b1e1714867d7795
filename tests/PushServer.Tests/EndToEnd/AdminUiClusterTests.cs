using Microsoft.Extensions.DependencyInjection;
using PushServer.SocketIO;

namespace PushServer.Tests.EndToEnd;

/// <summary>
/// The Admin UI over a mixed cluster: a PushServer node and a Node socket.io 4.8 node running @socket.io/admin-ui's
/// instrument(), one real redis-server between them; a UI logged in to the PushServer node sees both.
/// </summary>
public sealed class AdminUiClusterTests : RedisResourceTests
{
    private const string Password = "cluster admin password";

    [Fact]
    public async Task A_ui_on_a_PushServer_node_lists_the_sockets_and_stats_of_a_Node_node_running_instrument()
    {
        var server = await InProcessServer.StartAsync(new Dictionary<string, string?>
        {
            ["Redis:Url"] = Redis.Url,
            ["AdminUi:Enabled"] = "true",
            ["AdminUi:Username"] = "admin",
            ["AdminUi:PasswordHash"] = BCrypt.Net.BCrypt.HashPassword(Password, 4),
            ["AdminUi:ServerId"] = "dotnet-node",
        });
        Resources.AddDisposedLast(server);
        var node = await NodeClient.StartAsync("redis-node.js", new { redisUrl = Redis.Url, adminUi = "node-node" });
        Resources.Add(node);
        var nodePort = node.Events.First(e => e.GetProperty("event").GetString() == "ready").GetProperty("port").GetInt32();
        await WaitUntilCountedAsync(server.Services.GetRequiredService<SocketIOServer>(), nodes: 2);
        var onDotnet = await ConnectAsync(server.SocketIOPort);
        var onNode = await ConnectAsync(nodePort);

        var admin = await StartClientAsync(new SocketIOClientConfig(server.SocketIOUrl)
        {
            Namespace = "/admin",
            Auth = new { username = "admin", password = Password },
        });

        var all = (await admin.WaitForServerEventAsync("all_sockets")).GetProperty("args")[0].EnumerateArray().ToList();
        Assert.Contains(all, s => s.GetProperty("id").GetString() == onDotnet && s.GetProperty("nsp").GetString() == "/");
        var fromNode = Assert.Single(all, s => s.GetProperty("id").GetString() == onNode);
        // instrument() keeps these in the Node socket's data; they are read from there and left out of the data shown.
        Assert.Equal(12, fromNode.GetProperty("clientId").GetString()!.Length);
        Assert.Equal("node", fromNode.GetProperty("data").GetProperty("from").GetString());
        Assert.False(fromNode.GetProperty("data").TryGetProperty("_admin", out _));
        await admin.WaitForEventAsync("event", e => IsStatsOf(e, "node-node"));
        await admin.WaitForEventAsync("event", e => IsStatsOf(e, "dotnet-node"));

        // Node's live events reach the UI too, and the UI's actions reach Node's sockets.
        var third = await ConnectAsync(nodePort);
        await admin.WaitForEventAsync("event", e => e.GetProperty("name").ValueEquals("socket_connected")
            && e.GetProperty("args")[0].GetProperty("id").GetString() == third);
        await admin.EmitAsync("join", "/", "from-ui", onNode);
        await admin.WaitForEventAsync("event", e => e.GetProperty("name").ValueEquals("room_joined")
            && e.GetProperty("args")[1].GetString() == "from-ui" && e.GetProperty("args")[2].GetString() == onNode);
    }

    private static bool IsStatsOf(JsonElement e, string serverId) =>
        e.GetProperty("name").ValueEquals("server_stats") && e.GetProperty("args")[0].GetProperty("serverId").GetString() == serverId;

    private async Task<string> ConnectAsync(int port) =>
        (await ConnectClientAsync(new SocketIOClientConfig($"http://127.0.0.1:{port}"))).Id;

    /// <summary>Polls until the node counts <paramref name="nodes"/> nodes: nothing signals the other node's subscription.</summary>
    private static async Task WaitUntilCountedAsync(SocketIOServer io, int nodes)
    {
        using var deadline = new CancellationTokenSource(TestTimeouts.Default);
        while (await io.Sockets.Adapter.ServerCountAsync(deadline.Token) < nodes)
        {
            await Task.Delay(20, deadline.Token);
        }
    }
}
