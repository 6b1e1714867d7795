using System.Buffers;
using PushServer.EngineIO.ConnectionLevelWebSockets;
using PushServer.EngineIO.Handshakes;

namespace PushServer.EngineIO.Tests.ConnectionLevelWebSockets;

public class WebSocketUpgradeRequestTests
{
    private const string Plain =
        "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\n" +
        "Host: 127.0.0.1:3000\r\n" +
        "upgrade: WebSocket\r\n" +
        "Connection: keep-alive, Upgrade\r\n" +
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n" +
        "Sec-WebSocket-Version: 13\r\n" +
        "X-Custom: one\r\n" +
        "x-custom: two\r\n" +
        "Cookie:   io=abc   \r\n" +
        "\r\n";

    private static bool Parse(string text, out WebSocketUpgradeRequest? request, out int headLength) =>
        WebSocketUpgradeRequest.TryParse(new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(text)), out request, out headLength);

    [Fact]
    public void A_plain_upgrade_parses_with_lower_case_names_and_joined_repeats()
    {
        Assert.True(Parse(Plain + "frame bytes", out var request, out var headLength));

        Assert.Equal(Plain.Length, headLength);
        Assert.Equal("/socket.io/?EIO=4&transport=websocket", request!.Target);
        Assert.Equal("/socket.io/", request.Path.ToString());
        Assert.Equal(new Dictionary<string, string> { ["EIO"] = "4", ["transport"] = "websocket" }, request.QueryValues());
        Assert.Equal("127.0.0.1:3000", request.Header("host"));
        Assert.Equal("one, two", request.Header("x-custom"));
        Assert.Equal("io=abc", request.Header("cookie"));
        Assert.Equal("", request.Header("origin"));
    }

    [Fact]
    public void Common_header_values_are_shared_between_requests_and_the_key_is_kept_as_sent()
    {
        Assert.True(Parse(Plain, out var first, out _));
        Assert.True(Parse(Plain, out var second, out _));

        Assert.Equal("13", first!.Header("sec-websocket-version"));
        Assert.Same(first.Header("sec-websocket-version"), second!.Header("sec-websocket-version"));
        Assert.Same(first.Header("connection"), second.Header("connection"));
        // Other values are shared while recently seen (RecentStrings, tested on its own), always as sent.
        Assert.Equal("WebSocket", first.Header("upgrade"));
        Assert.Equal("WebSocket", second.Header("upgrade"));
        // The key differs on every request: always a copy, never kept in the shared table.
        Assert.NotSame(first.Header("sec-websocket-key"), second.Header("sec-websocket-key"));
    }

    [Fact]
    public void The_accept_key_is_the_one_of_RFC_6455()
    {
        Assert.True(Parse(Plain, out var request, out _));
        Assert.Equal("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", request!.AcceptKey());
    }

    [Fact]
    public void A_head_split_over_segments_parses()
    {
        var bytes = Encoding.ASCII.GetBytes(Plain);
        var first = new Segment(bytes.AsMemory(0, 30));
        var last = first.Append(bytes.AsMemory(30));
        var sequence = new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);

        Assert.True(WebSocketUpgradeRequest.TryParse(sequence, out var request, out var headLength));
        Assert.Equal(bytes.Length, headLength);
        Assert.Equal(new Dictionary<string, string> { ["EIO"] = "4", ["transport"] = "websocket" }, request!.QueryValues());
    }

    [Fact]
    public void An_unfinished_head_does_not_parse()
    {
        Assert.False(Parse(Plain[..^2], out var request, out var headLength));
        Assert.Null(request);
        Assert.Equal(0, headLength);
    }

    [Theory]
    [InlineData("GET /socket.io/", "POST /socket.io/")]
    [InlineData("websocket HTTP/1.1", "websocket HTTP/1.0")]
    [InlineData("GET /socket.io/", "GET /socket%2Eio/")]
    [InlineData("GET /socket.io/", "GET /x/../socket.io/")]
    [InlineData("GET /socket.io/", "GET http://h/socket.io/")]
    [InlineData("Sec-WebSocket-Version: 13", "Sec-WebSocket-Version: 8")]
    [InlineData("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Key: short")]
    [InlineData("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "X-Other: 1")]
    [InlineData("upgrade: WebSocket", "upgrade: h2c")]
    [InlineData("Connection: keep-alive, Upgrade", "Connection: keep-alive")]
    [InlineData("Host: 127.0.0.1:3000", "Host: a\r\nHost: b")]
    [InlineData("Host: 127.0.0.1:3000", "X-Other: 1")]
    [InlineData("X-Custom: one", "Content-Length: 5")]
    [InlineData("X-Custom: one", "Transfer-Encoding: chunked")]
    [InlineData("X-Custom: one", "X-Custom: one\r\n folded")]
    [InlineData("X-Custom: one", "X-Custom: caf\u00e9")]
    [InlineData("X-Custom: one", "Bad Name: one")]
    [InlineData("X-Custom: one", ": no name")]
    public void Anything_but_a_plain_upgrade_is_left_alone(string original, string replacement)
    {
        var text = Plain.Replace(original, replacement, StringComparison.Ordinal);
        Assert.NotEqual(Plain, text);
        var bytes = Encoding.Latin1.GetBytes(text);

        Assert.False(WebSocketUpgradeRequest.TryParse(new ReadOnlySequence<byte>(bytes), out var request, out var headLength));
        Assert.Null(request);
        Assert.Equal(0, headLength);
    }

    [Fact]
    public void A_head_longer_than_the_limit_is_left_alone()
    {
        var text = Plain.Replace("X-Custom: one", "X-Custom: " + new string('a', WebSocketUpgradeRequest.MaxHeadLength), StringComparison.Ordinal);
        Assert.False(Parse(text, out _, out _));
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory) => Memory = memory;

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory) { RunningIndex = RunningIndex + Memory.Length };
            Next = next;
            return next;
        }
    }
}
