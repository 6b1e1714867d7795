using PushServer.SocketIO.Adapters;

namespace PushServer.SocketIO.Tests.Adapters;

/// <summary>
/// The in-memory adapter's join-room and leave-room events (RoomJoined, RoomLeft): once per change of a socket's
/// membership, never for a room it was already in or not in.
/// </summary>
public sealed class RoomMembershipEventTests
{
    [Fact]
    public async Task Joins_and_leaves_are_raised_once_per_change_of_membership()
    {
        var server = new TestServer();
        var (_, socket) = await server.ConnectAsync();
        var adapter = (InMemoryAdapter)server.Io.Of("/").Adapter;
        var seen = new List<string>();
        adapter.RoomJoined += (room, id) => seen.Add($"join {room} {(id == socket.Id ? "me" : id)}");
        adapter.RoomLeft += (room, id) => seen.Add($"leave {room} {(id == socket.Id ? "me" : id)}");

        socket.Join("a");
        socket.Join("a");
        socket.Join(["a", "b"]);
        socket.Leave("b");
        socket.Leave("b");
        socket.Disconnect();

        Assert.Equal(["join a me", "join b me", "leave b me"], seen.Take(3));
        // Disconnecting leaves every remaining room, its own id room included, in no set order.
        Assert.Equal(new[] { "leave a me", $"leave {socket.Id} me" }.Order(), seen.Skip(3).Order());
    }
}
