using PushServer.EngineIO.Handshakes;

namespace PushServer.EngineIO.Tests.Handshakes;

public sealed class RecentStringsTests
{
    private readonly RecentStrings _strings = new();

    [Fact]
    public void Text_seen_again_is_the_same_instance_whether_read_as_bytes_or_chars()
    {
        var first = _strings.Ascii("/socket.io/?EIO=4&transport=websocket"u8);
        var second = _strings.Ascii("/socket.io/?EIO=4&transport=websocket"u8);
        var third = _strings.Chars("/socket.io/?EIO=4&transport=websocket");

        Assert.Equal("/socket.io/?EIO=4&transport=websocket", first);
        Assert.Same(first, second);
        Assert.Same(first, third);
    }

    [Fact]
    public void Different_text_is_never_confused_even_when_it_replaces_what_was_kept()
    {
        // Far more distinct values than slots: collisions replace entries, and every answer is still its own text.
        for (var i = 0; i < 5_000; i++)
        {
            var text = "value-" + i;
            Assert.Equal(text, _strings.Ascii(Encoding.ASCII.GetBytes(text)));
            Assert.Equal(text, _strings.Chars(text));
        }
    }

    [Fact]
    public void Long_and_non_ASCII_text_is_copied_and_not_kept()
    {
        var longText = new string('a', RecentStrings.MaxLength + 1);
        Assert.Equal(longText, _strings.Chars(longText));
        Assert.NotSame(_strings.Chars(longText), _strings.Chars(longText));

        Assert.Equal("café", _strings.Chars("café"));
        Assert.NotSame(_strings.Chars("café"), _strings.Chars("café"));
        Assert.Equal("", _strings.Ascii([]));
    }

    [Fact]
    public void Addresses_are_written_as_IPAddress_writes_them_and_shared()
    {
        var v4 = IPAddress.Parse("127.0.1.20");
        var v6 = IPAddress.Parse("::ffff:10.0.0.1");

        Assert.Equal(v4.ToString(), _strings.Address(v4));
        Assert.Same(_strings.Address(v4), _strings.Address(IPAddress.Parse("127.0.1.20")));
        Assert.Equal(v6.ToString(), _strings.Address(v6));
        Assert.Equal("", _strings.Address(null));
    }
}
