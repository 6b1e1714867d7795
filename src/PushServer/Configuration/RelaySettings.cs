using System.Text.Json.Serialization;

namespace PushServer.Configuration;

/// <summary>
/// Relay rules (section <c>Relay</c>): what the server does when a client emits an event, without code.
/// Rules are keyed by the client's event name, so a configuration file can change or switch off one default rule
/// (<c>"To": "none"</c>) without repeating the others.
/// </summary>
internal sealed class RelaySettings
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Relay";

    /// <summary>
    /// The rules by client event name. The defaults are phpsocket.io's chat example (a client's <c>chat message</c>
    /// goes to everyone as <c>chat message from server</c>) and an <c>echo</c> acked with its own arguments, which
    /// clients and the benchmarks use to measure round trips.
    /// </summary>
    public Dictionary<string, RelayRule> Rules { get; set; } = new(StringComparer.Ordinal)
    {
        ["chat message"] = new() { To = RelayTarget.All, EmitAs = "chat message from server" },
        ["echo"] = new() { To = RelayTarget.Ack },
    };
}

/// <summary>One relay rule.</summary>
internal sealed class RelayRule
{
    /// <summary>
    /// Where the event goes: <c>all</c>, <c>room</c>, <c>sender-rooms</c>, <c>ack</c> or <c>none</c>. Unset, it is
    /// <c>ack</c> for a rule with a reply (it only answers, as socket.io's <c>socket.on("hello", (arg, cb) => cb("got it"))</c>)
    /// and <c>all</c> otherwise; see <see cref="ResolveTarget"/>.
    /// </summary>
    public string? To { get; set; }

    /// <summary>The event name it is re-emitted under; empty keeps the client's name.</summary>
    public string EmitAs { get; set; } = "";

    /// <summary>Whether the sender receives its own relayed event (for <c>all</c>, <c>room</c> and <c>sender-rooms</c>).</summary>
    public bool IncludeSender { get; set; } = true;

    /// <summary>The namespace the rule listens on.</summary>
    public string Namespace { get; set; } = "/";

    /// <summary>
    /// A string the client's ack is answered with: instead of the echo of an <c>ack</c> rule, or instead of the empty
    /// ack that confirms a relay. Null: no reply configured.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Reply { get; set; }

    /// <summary>
    /// As <see cref="Reply"/>, written as JSON (<c>{"ok":true}</c>) and sent as that value: configuration values are
    /// strings, so a JSON reply needs its own key to tell <c>"1"</c> from <c>1</c>.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ReplyJson { get; set; }

    /// <summary>Whether <see cref="Reply"/> or <see cref="ReplyJson"/> is set.</summary>
    [JsonIgnore]
    public bool HasReply => Reply is not null || ReplyJson is not null;

    /// <summary>Sets an unset <see cref="To"/>: a rule with only a reply answers, any other relays to all.</summary>
    public void ResolveTarget() => To ??= HasReply ? RelayTarget.Ack : RelayTarget.All;
}

/// <summary>The relay targets.</summary>
internal static class RelayTarget
{
    /// <summary>Every client of the namespace.</summary>
    public const string All = "all";

    /// <summary>The room named by the event's first argument, which the sender must have joined; the remaining arguments are relayed.</summary>
    public const string Room = "room";

    /// <summary>Every room the sender has joined (besides its own).</summary>
    public const string SenderRooms = "sender-rooms";

    /// <summary>Straight back through the client's ack, with the event's own arguments (an echo).</summary>
    public const string Ack = "ack";

    /// <summary>The rule is switched off.</summary>
    public const string None = "none";

    /// <summary>Every valid value.</summary>
    public static readonly IReadOnlySet<string> Values = new HashSet<string>(StringComparer.Ordinal) { All, Room, SenderRooms, Ack, None };
}
