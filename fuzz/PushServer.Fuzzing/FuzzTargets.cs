using PushServer.Fuzzing.Targets;

namespace PushServer.Fuzzing;

/// <summary>
/// The fuzzing targets by name. Each takes one input and returns normally for any input the decoder refuses the way
/// it is meant to (a <c>false</c> from a <c>Try…</c> method, <c>DecodeStatus.Error</c>, or the push API's own
/// exception); anything else escaping a target is a bug. The names are also the folders of <c>fuzz/corpus</c>.
/// </summary>
public static class FuzzTargets
{
    /// <summary>Every target, by name.</summary>
    public static IReadOnlyDictionary<string, Action<byte[]>> All { get; } = new Dictionary<string, Action<byte[]>>(StringComparer.Ordinal)
    {
        ["eio4-payload"] = EngineIOV4PayloadTarget.Run,
        ["eio3-payload"] = EngineIOV3PayloadTarget.Run,
        ["sio-packet"] = SocketIOPacketTarget.Run,
        ["push-body"] = PushBodyTarget.Run,
    };
}
