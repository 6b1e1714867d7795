using System.Buffers;
using PushServer.EngineIO.Protocol;

namespace PushServer.EngineIO.Tests.Protocol;

public class PayloadCodecTests
{
    private static readonly byte[] Bytes1234 = [1, 2, 3, 4];

    private static string EncodeV4(params EnginePacket[] packets)
    {
        var output = new ArrayBufferWriter<byte>();
        PayloadEncoder.EncodeV4(packets, output);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    private static string EncodeV3Text(params EnginePacket[] packets)
    {
        var output = new ArrayBufferWriter<byte>();
        PayloadEncoder.EncodeV3Text(packets, output);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    [Fact]
    public void V4_payload_joins_records_with_the_record_separator_and_base64_binary_without_type()
    {
        Assert.Equal("4hello\u001ebAQIDBA==", EncodeV4(EnginePacket.Text("hello"), EnginePacket.Binary(Bytes1234)));
    }

    [Fact]
    public void V4_payload_round_trips_text_and_binary()
    {
        var packets = new List<InboundPacket>();
        Assert.True(PayloadDecoder.TryDecodeV4(Encoding.UTF8.GetBytes("4hello\u001ebAQIDBA==\u001e2probe"), packets));
        Assert.Equal(3, packets.Count);
        Assert.Equal("hello", Encoding.UTF8.GetString(packets[0].Data.Span));
        Assert.False(packets[0].IsBinary);
        Assert.True(packets[1].IsBinary);
        Assert.Equal(Bytes1234, packets[1].Data.ToArray());
        Assert.Equal(EnginePacketType.Ping, packets[2].Type);
        Assert.True(packets[2].IsProbe);
    }

    [Theory]
    [InlineData("")]
    [InlineData("7hello")]
    [InlineData("4hello\u001e")]
    [InlineData("x")]
    [InlineData("b@@@")]
    [InlineData("4ok\u001e9bad")]
    public void V4_payload_with_a_bad_record_is_refused(string body)
    {
        Assert.False(PayloadDecoder.TryDecodeV4(Encoding.UTF8.GetBytes(body), new List<InboundPacket>()));
    }

    [Fact]
    public void V3_text_payload_counts_lengths_in_UTF16_code_units()
    {
        // "€" is one UTF-16 unit (three UTF-8 bytes); the emoji is a surrogate pair: two units.
        Assert.Equal("6:4hello2:4€3:4😀", EncodeV3Text(EnginePacket.Text("hello"), EnginePacket.Text("€"), EnginePacket.Text("😀")));
    }

    [Fact]
    public void V3_text_payload_carries_binary_as_b4_base64()
    {
        Assert.Equal("6:4hello10:b4AQIDBA==", EncodeV3Text(EnginePacket.Text("hello"), EnginePacket.Binary(Bytes1234)));
    }

    [Fact]
    public void V3_text_payload_decodes_multibyte_text_and_base64_binary()
    {
        var packets = new List<InboundPacket>();
        Assert.True(PayloadDecoder.TryDecodeV3Text("2:4€3:4😀10:b4AQIDBA==1:2", packets));
        Assert.Equal("€", Encoding.UTF8.GetString(packets[0].Data.Span));
        Assert.Equal("😀", Encoding.UTF8.GetString(packets[1].Data.Span));
        Assert.True(packets[2].IsBinary);
        Assert.Equal(Bytes1234, packets[2].Data.ToArray());
        Assert.Equal(EnginePacketType.Ping, packets[3].Type);
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("6:4hi")]
    [InlineData("x:4hello")]
    [InlineData(":4hello")]
    [InlineData("0:")]
    [InlineData("2:9x")]
    [InlineData("6:4hello3")]
    [InlineData("4:b4@@")]
    // Lengths near int.MaxValue once overflowed the bounds check and threw (found by fuzzing).
    [InlineData("2147483647:4")]
    [InlineData("2147483640:4hello")]
    [InlineData("99999999999:4")]
    public void V3_text_payload_with_a_bad_record_is_refused(string body)
    {
        Assert.False(PayloadDecoder.TryDecodeV3Text(body, new List<InboundPacket>()));
    }

    [Fact]
    public void V3_binary_framing_matches_the_reference_bytes()
    {
        var output = new ArrayBufferWriter<byte>();
        PayloadEncoder.EncodeV3Binary([EnginePacket.Text("hello"), EnginePacket.Binary(Bytes1234)], output);
        byte[] expected = [0x00, 0x06, 0xFF, 0x34, 0x68, 0x65, 0x6C, 0x6C, 0x6F, 0x01, 0x05, 0xFF, 0x04, 0x01, 0x02, 0x03, 0x04];
        Assert.Equal(expected, output.WrittenSpan.ToArray());

        var packets = new List<InboundPacket>();
        Assert.True(PayloadDecoder.TryDecodeV3Binary(expected, packets));
        Assert.Equal("hello", Encoding.UTF8.GetString(packets[0].Data.Span));
        Assert.Equal(Bytes1234, packets[1].Data.ToArray());
        Assert.True(packets[1].IsBinary);
    }

    [Fact]
    public void V3_binary_framing_counts_UTF8_bytes_for_strings()
    {
        var output = new ArrayBufferWriter<byte>();
        PayloadEncoder.EncodeV3Binary([EnginePacket.Text("€"), EnginePacket.Binary([9])], output);
        Assert.Equal(new byte[] { 0, 4, 255, (byte)'4', 0xE2, 0x82, 0xAC, 1, 2, 255, 4, 9 }, output.WrittenSpan.ToArray());
    }

    [Theory]
    [InlineData(new byte[] { })]
    [InlineData(new byte[] { 2, 1, 255, 0x34 })]
    [InlineData(new byte[] { 0, 9, 255, 0x34 })]
    [InlineData(new byte[] { 0, 1, 0x34 })]
    [InlineData(new byte[] { 0, 12, 255, 0x34 })]
    [InlineData(new byte[] { 1, 1, 255, 9 })]
    // Ten length digits overflow an int: 2147483648 wrapped negative and threw (found by fuzzing).
    [InlineData(new byte[] { 0, 2, 1, 4, 7, 4, 8, 3, 6, 4, 8, 255, 0x34 })]
    [InlineData(new byte[] { 0, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 255, 0x34 })]
    [InlineData(new byte[] { 0, 4, 2, 9, 4, 9, 6, 7, 2, 9, 7, 255, 0x34 })]
    [InlineData(new byte[] { 0, 4, 0, 0, 0, 4, 0, 0, 0, 0, 0, 255 })]
    public void V3_binary_framing_with_a_bad_record_is_refused(byte[] body)
    {
        Assert.False(PayloadDecoder.TryDecodeV3Binary(body, new List<InboundPacket>()));
    }

    [Fact]
    public void Binary_framing_is_only_used_when_the_batch_has_binary_and_the_client_takes_it()
    {
        EnginePacket[] textOnly = [EnginePacket.Text("a")];
        EnginePacket[] withBinary = [EnginePacket.Text("a"), EnginePacket.Binary([1])];
        Assert.False(PayloadEncoder.NeedsV3BinaryFraming(textOnly, supportsBinary: true));
        Assert.True(PayloadEncoder.NeedsV3BinaryFraming(withBinary, supportsBinary: true));
        Assert.False(PayloadEncoder.NeedsV3BinaryFraming(withBinary, supportsBinary: false));
    }

    [Fact]
    public void Jsonp_wraps_the_v3_payload_in_a_callback_with_a_string_literal()
    {
        var output = new ArrayBufferWriter<byte>();
        PayloadEncoder.EncodeJsonp([EnginePacket.Text("say \"hi\"\u2028")], "3", output);
        Assert.Equal("___eio[3](\"10:4say \\u0022hi\\u0022\\u2028\");", Encoding.UTF8.GetString(output.WrittenSpan));
    }

    [Theory]
    [InlineData("4hello", EnginePacketType.Message, false)]
    [InlineData("2probe", EnginePacketType.Ping, false)]
    [InlineData("6", EnginePacketType.Noop, false)]
    public void Single_text_packets_decode_to_their_type(string text, EnginePacketType type, bool binary)
    {
        Assert.True(PacketDecoder.TryDecodeText(Encoding.UTF8.GetBytes(text), EngineProtocolVersion.V4, out var packet));
        Assert.Equal(type, packet.Type);
        Assert.Equal(binary, packet.IsBinary);
    }

    [Fact]
    public void V3_binary_frames_carry_their_type_byte_and_v4_frames_do_not()
    {
        Assert.True(PacketDecoder.TryDecodeBinaryFrame([4, 1, 2], EngineProtocolVersion.V3, out var v3));
        Assert.Equal(new byte[] { 1, 2 }, v3.Data.ToArray());
        Assert.True(PacketDecoder.TryDecodeBinaryFrame([4, 1, 2], EngineProtocolVersion.V4, out var v4));
        Assert.Equal(new byte[] { 4, 1, 2 }, v4.Data.ToArray());
        Assert.False(PacketDecoder.TryDecodeBinaryFrame([9, 1], EngineProtocolVersion.V3, out _));
    }

    [Fact]
    public void A_packet_shared_by_many_sessions_keeps_one_encoding_per_form()
    {
        var packet = EnginePacket.Binary(Bytes1234);
        Assert.Same(packet.Base64, packet.Base64);
        Assert.Equal(new byte[] { 4, 1, 2, 3, 4 }, packet.BinaryFrameV3.ToArray());
        Assert.Equal(Bytes1234, packet.BinaryFrameV4.ToArray());
    }
}
