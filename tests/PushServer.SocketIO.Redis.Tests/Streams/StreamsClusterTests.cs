using static PushServer.SocketIO.Redis.Tests.Streams.StreamsTestClients;

namespace PushServer.SocketIO.Redis.Tests.Streams;

/// <summary>
/// PushServer nodes with the Redis Streams adapter and connection state recovery on one real redis-server, with
/// socket.io-client 4.x: broadcasts cross nodes, and a client that lost its connection recovers its id, rooms and
/// every missed event, in order and once, on another node or on a node started after it left.
/// </summary>
public sealed class StreamsClusterTests : IAsyncLifetime
{
    private readonly TestResources _resources = new();
    private RedisServer _redis = null!;

    public async Task InitializeAsync() => _redis = await RedisServer.StartAsync();

    public async Task DisposeAsync()
    {
        await _resources.DisposeAsync();
        await _redis.DisposeAsync();
    }

    private async Task<StreamsNode> NodeAsync(bool recovery = true)
    {
        var node = await StreamsNode.StartAsync(_redis.Url, recovery);
        _resources.Add(node);
        return node;
    }

    private async Task<(NodeClient Client, string Id)> ClientAsync(string url)
    {
        var (client, id) = await ConnectAsync(url);
        _resources.Add(client);
        return (client, id);
    }

    [Fact]
    public async Task A_broadcast_on_one_node_reaches_the_clients_of_both_with_the_same_offset()
    {
        var a = await NodeAsync();
        var b = await NodeAsync();
        var (onA, _) = await ClientAsync(a.Url);
        var (onB, _) = await ClientAsync(b.Url);

        var result = await b.Io.Sockets.To([]).EmitAsync("news", ["hello", new byte[] { 1, 2 }]);

        var atA = await onA.WaitForServerEventAsync("news");
        var atB = await onB.WaitForServerEventAsync("news");
        Assert.Equal("hello", atA.GetProperty("args")[0].GetString());
        Assert.Equal(new byte[] { 1, 2 }, NodeClient.GetBinary(atA.GetProperty("args")[1]));
        Assert.Matches("^[0-9]+-[0-9]+$", OffsetOf(atA));
        Assert.Equal(OffsetOf(atA), OffsetOf(atB));
        Assert.Equal(BroadcastReach.Cluster, result.Reach);
        Assert.Equal(1, result.LocalRecipients);
        Assert.Equal(2, await a.Adapter.ServerCountAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Without_recovery_events_carry_no_offset_and_still_cross_nodes()
    {
        var a = await NodeAsync(recovery: false);
        var b = await NodeAsync(recovery: false);
        var (onA, _) = await ClientAsync(a.Url);

        await b.Io.Sockets.To([]).EmitAsync("news", ["plain"]);

        var received = await onA.WaitForServerEventAsync("news");
        Assert.Equal(1, received.GetProperty("args").GetArrayLength());
    }

    [Fact]
    public async Task A_client_recovers_on_the_other_node_with_its_id_rooms_and_every_missed_event_once_in_order()
    {
        var a = await NodeAsync();
        var b = await NodeAsync();
        var (client, id) = await ClientAsync(a.Url);
        await JoinNewsThenLoseTransportAsync(client, () => b.Io.Sockets.To("news").EmitAsync("room-message", ["m1"]).AsTask());
        Assert.Equal("transport close", await a.WaitForPersistedDisconnectAsync(id));
        await a.Io.Sockets.To("news").EmitAsync("room-message", ["m2"]);
        await b.Io.Sockets.To("other").EmitAsync("room-message", ["not for the client"]);
        await b.Io.Sockets.To("news").Except("muted").EmitAsync("room-message", ["m3"]);

        await client.SetUrlAsync(b.Url);
        await client.ConnectAsync();
        var second = await client.WaitForEventAsync("connect", e => e.GetProperty("recovered").GetBoolean());
        Assert.Equal(id, second.GetProperty("id").GetString());
        Assert.Contains("news", b.Io.Sockets.Sockets[id].Rooms);

        // Still in its room on the new node: a new event arrives live, after the replayed ones.
        await b.Io.Sockets.To("news").EmitAsync("room-message", ["m4"]);
        await WaitForAsync(client, "room-message", "m4");
        Assert.Equal(["m1", "m2", "m3", "m4"], Received(client, "room-message"));
    }

    [Fact]
    public async Task A_client_recovers_on_a_node_started_after_it_lost_its_connection()
    {
        var a = await StreamsNode.StartAsync(_redis.Url);
        var b = await NodeAsync();
        var (client, id) = await ClientAsync(a.Url);
        await JoinNewsThenLoseTransportAsync(client, () => b.Io.Sockets.To("news").EmitAsync("room-message", ["m1"]).AsTask());
        await a.WaitForPersistedDisconnectAsync(id);
        await a.DisposeAsync();
        await b.Io.Sockets.To("news").EmitAsync("room-message", ["m2"]);
        await b.Io.Sockets.To("news").EmitAsync("room-message", ["m3"]);

        var restarted = await NodeAsync();
        await client.SetUrlAsync(restarted.Url);
        await client.ConnectAsync();
        var second = await client.WaitForEventAsync("connect", e => e.GetProperty("recovered").GetBoolean());
        Assert.Equal(id, second.GetProperty("id").GetString());

        // The restarted node's own broadcast reaches it live, after the missed ones.
        await restarted.Io.Sockets.To("news").EmitAsync("room-message", ["m4"]);
        await WaitForAsync(client, "room-message", "m4");
        Assert.Equal(["m1", "m2", "m3", "m4"], Received(client, "room-message"));
    }

    [Fact]
    public async Task An_unknown_session_or_a_malformed_offset_restores_nothing()
    {
        var a = await NodeAsync();
        var attached = false;

        Assert.False(await a.Adapter.RestoreSessionAsync("no-such-pid", "1-0", _ => attached = true, CancellationToken.None));
        Assert.False(await a.Adapter.RestoreSessionAsync("no-such-pid", "1-0 OR 1", _ => attached = true, CancellationToken.None));
        Assert.False(attached);
    }

    [Fact]
    public async Task Fetching_sockets_and_joining_rooms_act_on_the_other_node()
    {
        var a = await NodeAsync();
        var b = await NodeAsync();
        var (client, id) = await ClientAsync(a.Url);

        b.Io.Sockets.In(id).SocketsJoin("vip");
        var sockets = await b.Io.Sockets.In("vip").FetchSocketsAsync();

        var remote = Assert.Single(sockets);
        Assert.Equal(id, remote.Id);
        await b.Io.Sockets.To("vip").EmitAsync("vip-news", ["v"]);
        await client.WaitForServerEventAsync("vip-news");
    }

    /// <summary>Application data with bytes, as a socket's <c>Data</c>.</summary>
    public sealed record Profile(string Name, byte[] Avatar);

    [Fact]
    public async Task Data_fetched_from_the_other_node_reads_back_as_the_stored_type_with_its_bytes()
    {
        var a = await NodeAsync();
        var b = await NodeAsync();
        var (_, id) = await ClientAsync(a.Url);
        var profile = new Profile("ann", [1, 2, 255]);
        a.Io.Sockets.Sockets[id].Data = profile;

        var remote = Assert.Single(await b.Io.Sockets.FetchSocketsAsync());
        var local = Assert.Single(await a.Io.Sockets.FetchSocketsAsync());

        // Across nodes the data is JSON, its bytes a base64 string; read as a Profile they are bytes again.
        Assert.IsType<System.Text.Json.JsonElement>(remote.Data);
        var fetched = remote.GetData<Profile>()!;
        Assert.Equal("ann", fetched.Name);
        Assert.Equal(new byte[] { 1, 2, 255 }, fetched.Avatar);
        Assert.Same(profile, local.GetData<Profile>());
    }

    [Fact]
    public async Task Data_of_a_socket_recovered_on_the_other_node_reads_back_as_the_stored_type_with_its_bytes()
    {
        var a = await NodeAsync();
        var b = await NodeAsync();
        var (client, id) = await ClientAsync(a.Url);
        a.Io.Sockets.Sockets[id].Data = new Profile("ann", [1, 2, 255]);
        await b.Io.Sockets.To([]).EmitAsync("news", ["n1"]);
        await WaitForAsync(client, "news", "n1");

        await client.DropTransportAsync();
        await client.WaitForEventAsync("disconnect");
        await a.WaitForPersistedDisconnectAsync(id);
        await client.SetUrlAsync(b.Url);
        await client.ConnectAsync();
        await client.WaitForEventAsync("connect", e => e.GetProperty("recovered").GetBoolean());

        var recovered = b.Io.Sockets.Sockets[id];
        Assert.IsType<System.Text.Json.JsonElement>(recovered.Data);
        var profile = recovered.GetData<Profile>()!;
        Assert.Equal("ann", profile.Name);
        Assert.Equal(new byte[] { 1, 2, 255 }, profile.Avatar);
    }
}
