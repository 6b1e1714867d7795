namespace PushServer.Tests.Hosting;

/// <summary>
/// The executable's long-polling path under back-to-back POSTs: socket.io-client sends its next POST as soon as it
/// reads the previous one's <c>ok</c>, often on another pooled connection, and that POST must never find the previous
/// one still counted as active (which ends the session with 400 as an overlapping POST). engine.io ends a POST
/// before answering it, in the same tick.
/// </summary>
public sealed class PollingPostTurnTests
{
    [Fact]
    public async Task A_POST_sent_as_soon_as_the_previous_one_is_answered_never_counts_as_overlapping()
    {
        await using var server = await InProcessServer.StartAsync(new Dictionary<string, string?>
        {
            ["EngineIO:MaxInboundPacketsPerSecond"] = "1000000",
            ["EngineIO:InboundPacketBurst"] = "2000000",
        });
        const int sessions = 8;
        const int posts = 300;

        // Several sessions at once keep the server's threads busy, which is when an answer reaches the client before
        // the code after it has run.
        await Task.WhenAll(Enumerable.Range(0, sessions).Select(_ => Task.Run(() => PostInTurnsAsync(server, posts))));
    }

    /// <summary>
    /// Opens a session and sends <paramref name="posts"/> <c>echo</c> events with acks as a closed loop, each POST once
    /// the previous one was answered and its ack came back through the long-poll held meanwhile, on two connections
    /// taking turns as a browser's pool does (Kestrel reads a connection's next request only after the last one's
    /// handler returned, so only another connection can arrive in between). Every POST must be answered ok.
    /// </summary>
    private static async Task PostInTurnsAsync(InProcessServer server, int posts)
    {
        using var first = server.SocketIOClient();
        using var second = server.SocketIOClient();
        using var polls = server.SocketIOClient();
        var open = await polls.GetStringAsync("socket.io/?EIO=4&transport=polling");
        using var json = JsonDocument.Parse(open[1..]);
        var url = $"socket.io/?EIO=4&transport=polling&sid={json.RootElement.GetProperty("sid").GetString()}";
        await PostAsync(first, url, "40", 0);
        Assert.StartsWith("40", await polls.GetStringAsync(url));
        for (var i = 1; i <= posts; i++)
        {
            var poll = polls.GetStringAsync(url);
            await PostAsync(i % 2 == 0 ? first : second, url, $"42{i}[\"echo\",{i}]", i);
            Assert.StartsWith($"43{i}[", await poll);
        }
    }

    private static async Task PostAsync(HttpClient client, string url, string packet, int i)
    {
        using var content = new StringContent(packet, Encoding.UTF8, "text/plain");
        using var response = await client.PostAsync(url, content);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"POST {i} answered {(int)response.StatusCode}");
    }
}
