namespace PushServer.Configuration;

/// <summary>
/// Client-driven rooms (section <c>Rooms</c>): a client joins or leaves a room by emitting an event, for room
/// names matching the allowed patterns only, so clients cannot listen in on rooms the backend uses privately
/// (such as the user rooms the push API targets).
/// </summary>
internal sealed class RoomSettings
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Rooms";

    /// <summary>The event a client emits to join: <c>socket.emit("join", "news", ack)</c>.</summary>
    public string JoinEvent { get; set; } = "join";

    /// <summary>The event a client emits to leave.</summary>
    public string LeaveEvent { get; set; } = "leave";

    /// <summary>
    /// Room names clients may join, as patterns where <c>*</c> matches any run of characters and <c>?</c> one
    /// (<c>news</c>, <c>chat-*</c>). Empty (the default): clients can join no room themselves.
    /// </summary>
    public List<string> Allowed { get; set; } = [];

    /// <summary>The namespace the events are listened for on.</summary>
    public string Namespace { get; set; } = "/";
}
