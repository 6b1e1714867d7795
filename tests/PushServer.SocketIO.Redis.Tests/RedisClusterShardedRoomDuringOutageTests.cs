namespace PushServer.SocketIO.Redis.Tests;

/// <summary>
/// A room joined while its shard's master is down and no replica has taken over yet. In the dynamic modes the room's
/// channel is then subscribed at once, and that SSUBSCRIBE fails: the client has no connection to the slot's owner.
/// The namespace's own channels, on other shards, still listen, so nothing else about the node looks deaf; the room's
/// channel must still be subscribed once a replica has taken over. A class of its own, as the failover changes its
/// cluster for good.
/// </summary>
public sealed class RedisClusterShardedRoomDuringOutageTests(RedisClusterFixture fixture) : ShardedFailoverTests(fixture), IClassFixture<RedisClusterFixture>
{
    private const string Channel = "socket.io#/#";

    [Fact]
    public async Task A_room_joined_while_its_shard_was_down_is_listened_to_once_a_replica_took_over()
    {
        var (a, b, onA, _) = await StartTwoHearingNodesAsync(ShardedSubscriptionMode.Dynamic);
        var namespaceMaster = await Fixture.Cluster.MasterOfAsync(Channel);
        var killed = await OtherMasterAsync(namespaceMaster);
        var room = await RoomServedByAsync(killed);
        var replica = await Fixture.Cluster.ReplicaOfAsync(killed);
        await Fixture.Cluster.AllowAutomaticFailoverAsync(replica, allowed: false);

        await Fixture.Cluster.KillAsync(killed);
        await Fixture.Cluster.WaitUntilStateAsync("fail");
        // Joined on A with its shard down: the subscription of the room's channel fails.
        Assert.Equal("joined", (await onA.EmitWithAckAsync("join", room))[0].GetString());
        await Fixture.Cluster.TakeOverAsync(replica, RoomChannel(room));
        // The publisher is not what is tested: its client is made to know the new master at once.
        await ReadTopologyAsync(b);

        // Published over and over: a message sent before A listens again is lost, as pub/sub loses it.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(40);
        while (true)
        {
            await b.Io.To(room).EmitAsync("in-room", [room]);
            try
            {
                var received = await onA.WaitForServerEventAsync("in-room", TimeSpan.FromSeconds(1));
                Assert.Equal(room, received.GetProperty("args")[0].GetString());
                break;
            }
            catch (TimeoutException) when (DateTime.UtcNow < deadline)
            {
            }
        }
        Assert.True(a.IsClusterConnected);
    }

    private async Task<int> OtherMasterAsync(int master)
    {
        for (var i = 0; ; i++)
        {
            var other = await Fixture.Cluster.MasterOfAsync($"key-{i}");
            if (other != master)
            {
                return other;
            }
        }
    }

    /// <summary>A room whose channel is in a slot of <paramref name="master"/>.</summary>
    private async Task<string> RoomServedByAsync(int master)
    {
        for (var i = 0; ; i++)
        {
            if (await Fixture.Cluster.MasterOfAsync(RoomChannel($"room-{i}")) == master)
            {
                return $"room-{i}";
            }
        }
    }

    private static string RoomChannel(string room) => $"{Channel}{room}#";
}
