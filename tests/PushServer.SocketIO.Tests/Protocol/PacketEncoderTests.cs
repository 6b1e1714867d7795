using PushServer.SocketIO.Protocol;

namespace PushServer.SocketIO.Tests.Protocol;

public class PacketEncoderTests
{
    private static readonly JsonSerializerOptions Json = SocketIOJson.CreateSerializerOptions(null);

    private static string Str(EnginePacket p) => Encoding.UTF8.GetString(p.Data.Span);

    private static EncodedPacket Event(string nsp, string name, long ackId, params object?[] args) =>
        SocketIOPacketEncoder.EncodeMessage(nsp, name, args, ackId, Json);

    [Fact]
    public void Event_is_encoded_as_a_json_array_after_the_type()
    {
        var p = Event("/", "chat message", -1, "hello", 1, true, null);
        Assert.Equal("2[\"chat message\",\"hello\",1,true,null]", Str(p.Text));
        Assert.Empty(p.Attachments);
        Assert.False(p.Text.IsBinary);
    }

    [Fact]
    public void Namespace_and_ack_id_come_before_the_payload()
    {
        Assert.Equal("2/admin,12[\"question\"]", Str(Event("/admin", "question", 12).Text));
    }

    [Fact]
    public void Non_ascii_text_is_written_as_is_like_json_stringify()
    {
        Assert.Equal("2[\"x\",\"€ 中\"]", Str(Event("/", "x", -1, "€ 中").Text));
    }

    [Fact]
    public void Objects_are_serialised_in_camel_case_by_default()
    {
        Assert.Equal("2[\"x\",{\"userName\":\"bob\"}]", Str(Event("/", "x", -1, new { UserName = "bob" }).Text));
    }

    [Fact]
    public void Json_values_are_written_unchanged()
    {
        using var doc = JsonDocument.Parse("{\"a\":[1,2]}");
        Assert.Equal("2[\"x\",{\"a\":[1,2]}]", Str(Event("/", "x", -1, doc.RootElement).Text));
    }

    [Fact]
    public void Binary_argument_becomes_a_placeholder_and_an_attachment()
    {
        var p = Event("/", "baz", -1, new byte[] { 1, 2, 3 });
        Assert.Equal("51-[\"baz\",{\"_placeholder\":true,\"num\":0}]", Str(p.Text));
        var attachment = Assert.Single(p.Attachments);
        Assert.True(attachment.IsBinary);
        Assert.Equal(new byte[] { 1, 2, 3 }, attachment.Data.ToArray());
    }

    [Fact]
    public void Nested_binaries_are_numbered_depth_first()
    {
        var p = Event("/admin", "baz", -1,
            new ReadOnlyMemory<byte>([1]),
            new { Inner = new object[] { new byte[] { 2 }, new { Deeper = new byte[] { 3 } } } });
        Assert.Equal(
            "53-/admin,[\"baz\",{\"_placeholder\":true,\"num\":0},{\"inner\":[{\"_placeholder\":true,\"num\":1},{\"deeper\":{\"_placeholder\":true,\"num\":2}}]}]",
            Str(p.Text));
        Assert.Equal([[1], [2], [3]], p.Attachments.Select(a => a.Data.ToArray()).ToArray());
    }

    [Fact]
    public void Ack_with_binary_becomes_binary_ack()
    {
        var p = SocketIOPacketEncoder.EncodeMessage("/", null, ["bar", new byte[] { 7 }], 15, Json);
        Assert.Equal("61-15[\"bar\",{\"_placeholder\":true,\"num\":0}]", Str(p.Text));
    }

    [Fact]
    public void Ack_without_arguments_is_an_empty_array()
    {
        Assert.Equal("3/admin,4[]", Str(SocketIOPacketEncoder.EncodeMessage("/admin", null, [], 4, Json).Text));
    }

    [Fact]
    public void V5_connect_reply_carries_the_socket_id()
    {
        Assert.Equal("0{\"sid\":\"abc\"}", Str(SocketIOPacketEncoder.EncodeConnect("/", "abc", SocketIOProtocolVersion.V5)));
        Assert.Equal("0/admin,{\"sid\":\"abc\"}", Str(SocketIOPacketEncoder.EncodeConnect("/admin", "abc", SocketIOProtocolVersion.V5)));
    }

    [Fact]
    public void V4_connect_reply_has_no_payload()
    {
        Assert.Equal("0", Str(SocketIOPacketEncoder.EncodeConnect("/", "abc", SocketIOProtocolVersion.V4)));
        Assert.Equal("0/admin,", Str(SocketIOPacketEncoder.EncodeConnect("/admin", "abc", SocketIOProtocolVersion.V4)));
    }

    [Fact]
    public void V5_connect_error_is_an_object_with_message_and_data()
    {
        var p = SocketIOPacketEncoder.EncodeConnectError("/private", "Not authorized", new { reason = "no token" }, SocketIOProtocolVersion.V5, Json);
        Assert.Equal("4/private,{\"message\":\"Not authorized\",\"data\":{\"reason\":\"no token\"}}", Str(p));
    }

    [Fact]
    public void V5_connect_error_omits_absent_data()
    {
        var p = SocketIOPacketEncoder.EncodeConnectError("/random", "Invalid namespace", null, SocketIOProtocolVersion.V5, Json);
        Assert.Equal("4/random,{\"message\":\"Invalid namespace\"}", Str(p));
    }

    [Fact]
    public void V4_connect_error_is_the_message_string_or_the_data()
    {
        Assert.Equal("4/admin,\"Not authorized\"",
            Str(SocketIOPacketEncoder.EncodeConnectError("/admin", "Not authorized", null, SocketIOProtocolVersion.V4, Json)));
        Assert.Equal("4/admin,{\"reason\":\"no token\"}",
            Str(SocketIOPacketEncoder.EncodeConnectError("/admin", "Not authorized", new { reason = "no token" }, SocketIOProtocolVersion.V4, Json)));
    }

    [Fact]
    public void Disconnect_is_the_type_and_namespace_only()
    {
        Assert.Equal("1", Str(SocketIOPacketEncoder.EncodeDisconnect("/")));
        Assert.Equal("1/admin,", Str(SocketIOPacketEncoder.EncodeDisconnect("/admin")));
    }

    [Fact]
    public void Encoded_packet_decodes_back_with_its_attachments()
    {
        var p = Event("/chat", "file", 3, "name.bin", new byte[] { 9, 8 });
        var decoder = new SocketIOPacketDecoder(10, 64);
        Assert.Equal(DecodeStatus.NeedsAttachments, decoder.DecodeText(p.Text.Data, out _, out _));
        Assert.Equal(DecodeStatus.Complete, decoder.DecodeBinary(p.Attachments[0].Data, out var decoded, out _));
        var args = new SocketIOArgs(decoded!.Payload!.RootElement, 1, decoded.Attachments, Json);
        Assert.Equal("name.bin", args.GetString(0));
        Assert.Equal(new byte[] { 9, 8 }, args.GetBytes(1).ToArray());
        Assert.Equal(new byte[] { 9, 8 }, args.GetValue<byte[]>(1));
    }
}
