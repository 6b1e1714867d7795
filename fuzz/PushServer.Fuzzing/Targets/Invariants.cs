using PushServer.EngineIO;

namespace PushServer.Fuzzing.Targets;

/// <summary>Checks on what a decoder accepted; a broken one is reported as a crash like any other exception.</summary>
internal static class Invariants
{
    public static void Require(bool condition, string rule)
    {
        if (!condition)
        {
            throw new InvariantViolationException(rule);
        }
    }

    public static void RequireKnownType(EnginePacketType type) =>
        Require(type is >= EnginePacketType.Open and <= EnginePacketType.Noop, "a decoded packet has a known type");
}

/// <summary>A decoder accepted something it must not have.</summary>
internal sealed class InvariantViolationException(string rule) : Exception("invariant broken: " + rule);
