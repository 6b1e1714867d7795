namespace PushServer.EngineIO.Protocol;

/// <summary>A decoded packet from the client. <see cref="Data"/> is owned by the receiver.</summary>
internal readonly record struct InboundPacket(EnginePacketType Type, ReadOnlyMemory<byte> Data, bool IsBinary)
{
    /// <summary>True for <c>2probe</c> / <c>3probe</c>.</summary>
    public bool IsProbe => !IsBinary && Data.Span.SequenceEqual("probe"u8);
}
