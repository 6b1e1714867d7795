namespace PushServer.SocketIO.Redis.Tests.Streams;

/// <summary>socket.io-client 4.x helpers shared by the Redis Streams tests.</summary>
internal static class StreamsTestClients
{
    /// <summary>A WebSocket client without automatic reconnection: the test reconnects it, to the node it chooses.</summary>
    public static async Task<(NodeClient Client, string Id)> ConnectAsync(string url)
    {
        var client = await NodeClient.StartSocketIOAsync(new SocketIOClientConfig(url) { Transports = ["websocket"] });
        var connect = await client.WaitForEventAsync("connect");
        Assert.False(connect.TryGetProperty("recovered", out var recovered) && recovered.GetBoolean());
        return (client, connect.GetProperty("id").GetString()!);
    }

    /// <summary>The first argument of every received event named <paramref name="name"/>, in arrival order.</summary>
    public static string[] Received(NodeClient client, string name) =>
        client.Events
            .Where(e => e.GetProperty("event").GetString() == "event" && e.GetProperty("name").GetString() == name)
            .Select(e => e.GetProperty("args")[0].GetString()!)
            .ToArray();

    /// <summary>Waits for the event <paramref name="name"/> whose first argument is <paramref name="first"/>.</summary>
    public static Task<JsonElement> WaitForAsync(NodeClient client, string name, string first) =>
        client.WaitForEventAsync("event", e => e.GetProperty("name").GetString() == name && e.GetProperty("args")[0].GetString() == first);

    /// <summary>
    /// Joins <paramref name="client"/> to room <c>news</c>, waits for the <c>room-message</c> <c>m1</c> that
    /// <paramref name="emitM1"/> sends there, then drops its transport as a network failure would and waits until the
    /// client has seen the disconnect: a session left to recover.
    /// </summary>
    public static async Task JoinNewsThenLoseTransportAsync(NodeClient client, Func<Task> emitM1)
    {
        await client.EmitWithAckAsync("join", "news");
        await emitM1();
        await WaitForAsync(client, "room-message", "m1");
        await client.DropTransportAsync();
        await client.WaitForEventAsync("disconnect");
    }

    /// <summary>The offset a stored event carries as its last argument.</summary>
    public static string OffsetOf(JsonElement received)
    {
        var args = received.GetProperty("args");
        return args[args.GetArrayLength() - 1].GetString()!;
    }
}
