using PushServer.SocketIO.Protocol;

namespace PushServer.SocketIO.Tests.Protocol;

/// <summary>
/// Inbound packets are the same for protocol v4 (EIO=3) and v5 (EIO=4) clients, so one decoder serves both;
/// the literals below include the forms each generation sends.
/// </summary>
public class PacketDecoderTests
{
    private readonly SocketIOPacketDecoder _decoder = new(maxAttachments: 10, maxJsonDepth: 64);

    private (DecodeStatus Status, SocketIOPacket? Packet, string? Error) Text(string packet) =>
        (_decoder.DecodeText(Encoding.UTF8.GetBytes(packet), out var p, out var e), p, e);

    private (DecodeStatus Status, SocketIOPacket? Packet, string? Error) Binary(params byte[] data) =>
        (_decoder.DecodeBinary(data, out var p, out var e), p, e);

    private SocketIOPacket Complete(string packet)
    {
        var (status, decoded, error) = Text(packet);
        Assert.True(status == DecodeStatus.Complete, $"{packet}: {status} {error}");
        return decoded!;
    }

    [Fact]
    public void Connect_to_the_default_namespace_has_no_payload()
    {
        var p = Complete("0");
        Assert.Equal(SocketIOPacketType.Connect, p.Type);
        Assert.Equal("/", p.Namespace);
        Assert.Null(p.Payload);
    }

    [Fact]
    public void V5_connect_carries_the_auth_object()
    {
        var p = Complete("0/admin,{\"token\":\"abc\"}");
        Assert.Equal("/admin", p.Namespace);
        Assert.Equal("abc", p.Payload!.RootElement.GetProperty("token").GetString());
    }

    [Fact]
    public void Namespace_without_trailing_comma_equals_namespace_with_it()
    {
        Assert.Equal("/custom", Complete("0/custom").Namespace);
        Assert.Equal("/custom", Complete("0/custom,").Namespace);
    }

    [Fact]
    public void V4_connect_keeps_the_query_string_in_the_namespace()
    {
        Assert.Equal("/admin?token=abc", Complete("0/admin?token=abc,").Namespace);
    }

    [Fact]
    public void Event_with_namespace_and_ack_id_is_decoded()
    {
        var p = Complete("2/admin,12[\"chat\",\"hi\"]");
        Assert.Equal(SocketIOPacketType.Event, p.Type);
        Assert.Equal("/admin", p.Namespace);
        Assert.Equal(12, p.AckId);
        Assert.Equal("chat", p.Payload!.RootElement[0].GetString());
    }

    [Fact]
    public void Numeric_first_element_is_accepted_as_event_name()
    {
        var p = Complete("2[1,2]");
        Assert.Equal(JsonValueKind.Number, p.Payload!.RootElement[0].ValueKind);
    }

    [Fact]
    public void Ack_may_be_an_empty_array()
    {
        var p = Complete("3456[]");
        Assert.Equal(SocketIOPacketType.Ack, p.Type);
        Assert.Equal(456, p.AckId);
    }

    [Fact]
    public void Disconnect_of_a_namespace_is_decoded()
    {
        var p = Complete("1/admin,");
        Assert.Equal(SocketIOPacketType.Disconnect, p.Type);
        Assert.Equal("/admin", p.Namespace);
    }

    [Fact]
    public void Connect_error_accepts_a_string_or_an_object()
    {
        Assert.Equal(SocketIOPacketType.ConnectError, Complete("4\"oops\"").Type);
        Assert.Equal(SocketIOPacketType.ConnectError, Complete("4{\"message\":\"oops\"}").Type);
    }

    [Fact]
    public void Binary_event_waits_for_its_attachments_arriving_one_by_one()
    {
        var header = Text("52-/admin,7[\"baz\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]");
        Assert.Equal(DecodeStatus.NeedsAttachments, header.Status);

        Assert.Equal(DecodeStatus.NeedsAttachments, Binary(1, 2).Status);
        var (status, packet, _) = Binary(3);

        Assert.Equal(DecodeStatus.Complete, status);
        Assert.Equal(SocketIOPacketType.BinaryEvent, packet!.Type);
        Assert.Equal("/admin", packet.Namespace);
        Assert.Equal(7, packet.AckId);
        Assert.Equal(new byte[] { 1, 2 }, packet.Attachments[0].ToArray());
        Assert.Equal(new byte[] { 3 }, packet.Attachments[1].ToArray());
        Assert.False(_decoder.IsReconstructing);
    }

    [Fact]
    public void Binary_ack_is_decoded_with_its_attachment()
    {
        Assert.Equal(DecodeStatus.NeedsAttachments, Text("61-15[\"bar\",{\"_placeholder\":true,\"num\":0}]").Status);
        var (status, packet, _) = Binary(9);
        Assert.Equal(DecodeStatus.Complete, status);
        Assert.Equal(SocketIOPacketType.BinaryAck, packet!.Type);
        Assert.Equal(15, packet.AckId);
    }

    [Fact]
    public void Decoder_accepts_a_new_packet_after_a_binary_one_completed()
    {
        Text("51-[\"a\",{\"_placeholder\":true,\"num\":0}]");
        Binary(1);
        Assert.Equal(DecodeStatus.Complete, Text("2[\"b\"]").Status);
    }

    [Theory]
    [InlineData("", "unknown packet type")]
    [InlineData("7", "unknown packet type")]
    [InlineData("a[\"x\"]", "unknown packet type")]
    [InlineData("5[\"x\"]", "illegal attachments")]
    [InlineData("5-[\"x\"]", "illegal attachments")]
    [InlineData("5a-[\"x\"]", "illegal attachments")]
    [InlineData("51", "illegal attachments")]
    [InlineData("511-[\"x\"]", "too many attachments")]
    [InlineData("2[\"x\"", "invalid payload")]
    [InlineData("2[\"x\"]garbage", "invalid payload")]
    [InlineData("2", "invalid payload")]
    [InlineData("2[]", "invalid payload")]
    [InlineData("2{\"a\":1}", "invalid payload")]
    [InlineData("2\"x\"", "invalid payload")]
    [InlineData("2[null]", "invalid payload")]
    [InlineData("2[true]", "invalid payload")]
    [InlineData("2[{\"a\":1}]", "invalid payload")]
    [InlineData("2[[\"x\"]]", "invalid payload")]
    [InlineData("2[\"connect\"]", "invalid payload")]
    [InlineData("2[\"connect_error\"]", "invalid payload")]
    [InlineData("2[\"disconnect\"]", "invalid payload")]
    [InlineData("2[\"disconnecting\"]", "invalid payload")]
    [InlineData("2[\"newListener\"]", "invalid payload")]
    [InlineData("2[\"removeListener\"]", "invalid payload")]
    [InlineData("5-0[\"x\"]", "illegal attachments")]
    [InlineData("0[]", "invalid payload")]
    [InlineData("0\"token\"", "invalid payload")]
    [InlineData("0null", "invalid payload")]
    [InlineData("1{}", "invalid payload")]
    [InlineData("1/admin,[]", "invalid payload")]
    [InlineData("3", "invalid payload")]
    [InlineData("3{}", "invalid payload")]
    [InlineData("4", "invalid payload")]
    [InlineData("4[1]", "invalid payload")]
    [InlineData("4 12", "invalid payload")]
    [InlineData("60-[\"x\",{\"_placeholder\":true,\"num\":0}]", "illegal attachments")]
    // Escaped lone surrogates are valid JSON but not readable as a .NET string; reading the name threw (found by fuzzing).
    [InlineData("2[\"\\ud800\"]", "invalid payload: the event name is not valid UTF-16")]
    [InlineData("2[\"a\\udc00b\",1]", "invalid payload: the event name is not valid UTF-16")]
    public void Malformed_packet_is_a_decode_error(string packet, string expected)
    {
        var (status, _, error) = Text(packet);
        Assert.Equal(DecodeStatus.Error, status);
        Assert.Contains(expected, error);
    }

    [Theory]
    [InlineData(new byte[] { (byte)'2', (byte)'[', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)']' })]
    [InlineData(new byte[] { (byte)'2', (byte)'[', (byte)'"', (byte)'x', (byte)'"', (byte)',', (byte)'"', 0xFF, (byte)'"', (byte)']' })]
    [InlineData(new byte[] { (byte)'2', (byte)'/', 0xFE, (byte)',', (byte)'[', (byte)'"', (byte)'x', (byte)'"', (byte)']' })]
    public void Text_that_is_not_UTF8_is_a_decode_error(byte[] packet)
    {
        // A polling body reaches the decoder unchecked; an invalid name threw when read (found by fuzzing), an
        // invalid argument would throw in the event handler that reads it.
        Assert.Equal(DecodeStatus.Error, _decoder.DecodeText(packet, out _, out var error));
        Assert.Equal("invalid UTF-8", error);
    }

    [Fact]
    public void Too_many_attachments_names_the_limit()
    {
        var decoder = new SocketIOPacketDecoder(maxAttachments: 2, maxJsonDepth: 64);
        var status = decoder.DecodeText("53-[\"x\"]"u8.ToArray(), out _, out var error);
        Assert.Equal(DecodeStatus.Error, status);
        Assert.Equal("too many attachments (maxAttachments is 2)", error);
    }

    [Theory]
    [InlineData("{\"_placeholder\":true,\"num\":1}")]
    [InlineData("{\"_placeholder\":true,\"num\":-1}")]
    [InlineData("{\"_placeholder\":true,\"num\":\"0\"}")]
    [InlineData("{\"_placeholder\":true,\"num\":0.5}")]
    [InlineData("{\"_placeholder\":true}")]
    [InlineData("{\"deep\":[{\"_placeholder\":true,\"num\":3}]}")]
    public void Placeholder_index_outside_the_attachments_is_a_decode_error(string placeholder)
    {
        Assert.Equal(DecodeStatus.NeedsAttachments, Text("51-[\"x\"," + placeholder + "]").Status);
        var (status, _, error) = Binary(1);
        Assert.Equal(DecodeStatus.Error, status);
        Assert.Contains("illegal attachments", error);
    }

    [Fact]
    public void Text_message_while_attachments_are_expected_is_a_decode_error()
    {
        Text("52-[\"x\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]");
        Binary(1);
        var (status, _, error) = Text("2[\"y\"]");
        Assert.Equal(DecodeStatus.Error, status);
        Assert.Equal("got plaintext data when reconstructing a packet", error);
    }

    [Fact]
    public void Binary_message_when_none_is_expected_is_a_decode_error()
    {
        var (status, _, error) = Binary(1, 2, 3);
        Assert.Equal(DecodeStatus.Error, status);
        Assert.Equal("got binary data when not reconstructing a packet", error);
    }

    [Fact]
    public void Json_nested_deeper_than_the_limit_is_a_decode_error()
    {
        var decoder = new SocketIOPacketDecoder(maxAttachments: 10, maxJsonDepth: 8);
        var ok = "2[\"x\"," + new string('[', 6) + new string(']', 6) + "]";
        var tooDeep = "2[\"x\"," + new string('[', 8) + new string(']', 8) + "]";
        Assert.Equal(DecodeStatus.Complete, decoder.DecodeText(Encoding.UTF8.GetBytes(ok), out _, out _));
        Assert.Equal(DecodeStatus.Error, decoder.DecodeText(Encoding.UTF8.GetBytes(tooDeep), out _, out var error));
        Assert.Equal("JSON nested too deep (maxJsonDepth is 8)", error);
        Assert.Equal("max_json_depth", decoder.LimitHit);
    }

    [Theory]
    [InlineData("2[\"x\",[[[", "invalid payload")]
    [InlineData("2[\"[[[[[[[[[[\",1]", null)]
    [InlineData("2[\"\\\"[[[[[[[[[[\",1]", null)]
    public void Brackets_in_strings_or_unclosed_ones_are_not_taken_for_depth(string packet, string? error)
    {
        var decoder = new SocketIOPacketDecoder(maxAttachments: 10, maxJsonDepth: 8);
        var status = decoder.DecodeText(Encoding.UTF8.GetBytes(packet), out _, out var actual);
        Assert.Equal(error is null ? DecodeStatus.Complete : DecodeStatus.Error, status);
        Assert.Equal(error, actual);
        Assert.Null(decoder.LimitHit);
    }

    [Theory]
    [InlineData("511-[\"x\"]", "max_attachments")]
    [InlineData("0/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa,", "max_namespace_length")]
    [InlineData("2[\"eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee\"]", "max_event_name_length")]
    [InlineData("2[12345678901234567890123456789012345678901234567890]", "max_event_name_length")]
    [InlineData("2[\"connect\"]", null)]
    public void Each_limit_names_itself(string packet, string? limit)
    {
        var decoder = new SocketIOPacketDecoder(maxAttachments: 10, maxJsonDepth: 8, maxNamespaceLength: 16, maxEventNameLength: 16);
        Assert.Equal(DecodeStatus.Error, decoder.DecodeText(Encoding.UTF8.GetBytes(packet), out _, out _));
        Assert.Equal(limit, decoder.LimitHit);
    }
}
