namespace PushServer.SocketIO.Redis.Tests;

/// <summary>@socket.io/redis-emitter 5.x, run from a Node script, reaches the clients of a PushServer node.</summary>
public sealed class EmitterTests : IAsyncLifetime
{
    private readonly TestResources _resources = new();
    private RedisServer _redis = null!;
    private PushServerNode _dotnet = null!;
    private NodeClient _emitter = null!;

    public async Task InitializeAsync()
    {
        _redis = _resources.Add(await RedisServer.StartAsync());
        _dotnet = _resources.Add(await PushServerNode.StartAsync(_redis.Url));
        _emitter = _resources.Add(await NodeClient.StartAsync("redis-emitter.js", new { redisUrl = _redis.Url }));
    }

    public async Task DisposeAsync() => await _resources.DisposeAsync();

    private async Task<(NodeClient Client, string Id)> ConnectAsync()
    {
        var (client, id) = await _dotnet.ConnectClientAsync();
        return (_resources.Add(client), id);
    }

    [Fact]
    public async Task An_emitter_broadcast_reaches_a_client_with_its_binary()
    {
        var (client, _) = await ConnectAsync();

        await _emitter.RunAsync("emit", new { name = "push", args = new object[] { "hello", new Dictionary<string, object> { ["n"] = 1, ["blob"] = new Dictionary<string, string> { ["$binary"] = "/wA=" } } } });

        var e = await client.WaitForServerEventAsync("push");
        Assert.Equal("hello", e.GetProperty("args")[0].GetString());
        Assert.Equal(1, e.GetProperty("args")[1].GetProperty("n").GetInt32());
        Assert.Equal(new byte[] { 255, 0 }, NodeClient.GetBinary(e.GetProperty("args")[1].GetProperty("blob")));
    }

    [Fact]
    public async Task An_emitter_room_emit_with_except_reaches_only_the_selected_clients()
    {
        var (member, _) = await ConnectAsync();
        var (excluded, _) = await ConnectAsync();
        var (outsider, _) = await ConnectAsync();
        await member.EmitWithAckAsync("join", "news");
        await excluded.EmitWithAckAsync("join", "news");
        await excluded.EmitWithAckAsync("join", "muted");

        await _emitter.RunAsync("emit", new { rooms = new[] { "news" }, except = new[] { "muted" }, name = "headline" });
        await _emitter.RunAsync("emit", new { name = "marker" });

        await member.WaitForServerEventAsync("headline");
        await excluded.WaitForServerEventAsync("marker");
        await outsider.WaitForServerEventAsync("marker");
        // The marker followed the headline and is handled in order, so a wrong delivery would already be there.
        Assert.DoesNotContain(excluded.Events, IsHeadline);
        Assert.DoesNotContain(outsider.Events, IsHeadline);

        static bool IsHeadline(JsonElement e) => e.TryGetProperty("name", out var n) && n.GetString() == "headline";
    }

    [Fact]
    public async Task Emitter_join_leave_disconnect_and_server_side_emit_act_on_the_node()
    {
        var (client, id) = await ConnectAsync();
        var serverSide = new TaskCompletionSource<IReadOnlyList<object?>>(TaskCreationOptions.RunContinuationsAsynchronously);
        _dotnet.Io.Sockets.OnServerSideEmit("refresh", args => serverSide.TrySetResult(args));

        await _emitter.RunAsync("socketsJoin", new { rooms = new[] { id }, room = "vip" });
        await _emitter.RunAsync("emit", new { rooms = new[] { "vip" }, name = "vip-only" });
        await client.WaitForServerEventAsync("vip-only");
        Assert.Contains("vip", _dotnet.Io.Sockets.Sockets[id].Rooms);

        await _emitter.RunAsync("socketsLeave", new { rooms = new[] { id }, room = "vip" });
        await _emitter.RunAsync("serverSideEmit", new { name = "refresh", args = new object[] { "users", 2 } });
        var args = await serverSide.Task.DefaultTimeout();
        // Handled in order: the leave came before the server-side emit.
        Assert.DoesNotContain("vip", _dotnet.Io.Sockets.Sockets[id].Rooms);
        Assert.Equal("users", ((JsonElement)args[0]!).GetString());
        Assert.Equal(2, ((JsonElement)args[1]!).GetInt32());

        await _emitter.RunAsync("disconnectSockets", new { rooms = new[] { id }, close = true });
        // As from socket.io's disconnectSockets(true): DISCONNECT before the close, so the client stays off.
        Assert.Equal("io server disconnect", (await client.WaitForEventAsync("disconnect")).GetProperty("reason").GetString());
    }
}
