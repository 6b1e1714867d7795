using System.Text;
using Microsoft.AspNetCore.Builder;
using PushServer.EngineIO;
using PushServer.Testing;

namespace PushServer.InteropTests;

/// <summary>
/// The real <c>engine.io-client</c> from npm (6.x for Engine.IO v4, 3.x for v3) against the Engine.IO server,
/// over polling only, WebSocket only, and polling upgraded to WebSocket.
/// </summary>
public class EngineIOClientTests
{
    public static TheoryData<int, string> Variants => new()
    {
        { 4, "polling" }, { 4, "websocket" }, { 4, "upgrade" },
        { 3, "polling" }, { 3, "websocket" }, { 3, "upgrade" },
    };

    /// <summary>Greets each session with a text and a binary message, then echoes everything back.</summary>
    private sealed class GreetingEchoHandler : IEngineConnectionHandler
    {
        public ValueTask OnOpenedAsync(IEngineSession session)
        {
            session.Send(EnginePacket.Text("welcome €😀"));
            session.Send(EnginePacket.Binary([0, 1, 2, 255]));
            return ValueTask.CompletedTask;
        }

        public ValueTask OnTextAsync(IEngineSession session, ReadOnlyMemory<byte> utf8)
        {
            session.Send(EnginePacket.Text("echo:" + Encoding.UTF8.GetString(utf8.Span)));
            return ValueTask.CompletedTask;
        }

        public ValueTask OnBinaryAsync(IEngineSession session, ReadOnlyMemory<byte> data)
        {
            session.Send(EnginePacket.Binary(data.Span));
            return ValueTask.CompletedTask;
        }

        public void OnClosed(IEngineSession session, EngineCloseReason reason)
        {
        }
    }

    private static EngineIOClientConfig Config(KestrelTestServer server, int protocol, string mode) =>
        new(server.BaseAddress.GetLeftPart(UriPartial.Authority))
        {
            Protocol = protocol,
            Transports = mode switch
            {
                "polling" => ["polling"],
                "websocket" => ["websocket"],
                _ => ["polling", "websocket"],
            },
            Upgrade = mode == "upgrade",
        };

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task Text_and_binary_messages_travel_both_ways(int protocol, string mode)
    {
        await using var server = await KestrelTestServer.StartAsync(null, app => app.MapEngineIO("/engine.io", new GreetingEchoHandler()));
        await using var client = await NodeClient.StartEngineIOAsync(Config(server, protocol, mode));

        var open = await client.WaitForEventAsync("open");
        Assert.Equal(mode == "websocket" ? "websocket" : "polling", open.GetProperty("transport").GetString());
        if (mode == "upgrade")
        {
            Assert.Equal("websocket", (await client.WaitForEventAsync("upgrade")).GetProperty("transport").GetString());
        }

        Assert.Equal("welcome €😀", (await client.WaitForEventAsync("message")).GetProperty("text").GetString());
        Assert.Equal(new byte[] { 0, 1, 2, 255 }, Convert.FromBase64String((await client.WaitForEventAsync("message")).GetProperty("binary").GetString()!));

        await client.SendTextAsync("héllo 😀");
        Assert.Equal("echo:héllo 😀", (await client.WaitForEventAsync("message")).GetProperty("text").GetString());

        await client.SendBinaryAsync(new byte[] { 9, 8, 7 });
        Assert.Equal(new byte[] { 9, 8, 7 }, Convert.FromBase64String((await client.WaitForEventAsync("message")).GetProperty("binary").GetString()!));
    }

    [Theory]
    [InlineData(4)]
    [InlineData(3)]
    public async Task A_client_close_is_reported_to_the_handler(int protocol)
    {
        var closed = new Await<EngineCloseReason>();
        var handler = new ClosingWatcher(closed);
        await using var server = await KestrelTestServer.StartAsync(null, app => app.MapEngineIO("/engine.io", handler));
        await using var client = await NodeClient.StartEngineIOAsync(Config(server, protocol, "polling"));
        await client.WaitForEventAsync("open");

        await client.CloseAsync();

        Assert.Equal(EngineCloseReason.TransportClose, await closed.Task);
    }

    private sealed class ClosingWatcher(Await<EngineCloseReason> closed) : IEngineConnectionHandler
    {
        public ValueTask OnOpenedAsync(IEngineSession session) => ValueTask.CompletedTask;

        public ValueTask OnTextAsync(IEngineSession session, ReadOnlyMemory<byte> utf8) => ValueTask.CompletedTask;

        public ValueTask OnBinaryAsync(IEngineSession session, ReadOnlyMemory<byte> data) => ValueTask.CompletedTask;

        public void OnClosed(IEngineSession session, EngineCloseReason reason) => closed.Set(reason);
    }
}
