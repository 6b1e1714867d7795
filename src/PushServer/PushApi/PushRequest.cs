namespace PushServer.PushApi;

/// <summary>
/// One push request, whatever form it arrived in (query, form, JSON). The selection follows socket.io's broadcast
/// operators: members of any of <see cref="Rooms"/> or the socket <see cref="SocketId"/> (every socket when both are
/// empty), minus members of any of <see cref="Except"/>.
/// </summary>
internal sealed record PushRequest
{
    /// <summary>What to do.</summary>
    public required PushOperation Operation { get; init; }

    /// <summary>How to answer success.</summary>
    public PushReplyStyle Reply { get; init; } = PushReplyStyle.Json;

    /// <summary>Name for logs and metrics: <c>msg</c>, <c>publish</c>, <c>emit</c>, <c>join</c>…</summary>
    public required string Source { get; init; }

    /// <summary>The namespace, starting with <c>/</c>.</summary>
    public string Namespace { get; init; } = "/";

    /// <summary>Rooms whose members are selected.</summary>
    public IReadOnlyList<string> Rooms { get; init; } = [];

    /// <summary>Rooms whose members are left out.</summary>
    public IReadOnlyList<string> Except { get; init; } = [];

    /// <summary>One socket to select, by id.</summary>
    public string? SocketId { get; init; }

    /// <summary>The event name (<see cref="PushOperation.Emit"/>).</summary>
    public string? Event { get; init; }

    /// <summary>The event arguments: strings or <see cref="System.Text.Json.JsonElement"/> values.</summary>
    public IReadOnlyList<object?> Args { get; init; } = [];

    /// <summary>Drop the event for clients that cannot take it right away.</summary>
    public bool Volatile { get; init; }

    /// <summary>When set, wait this long for every recipient's acknowledgement.</summary>
    public TimeSpan? AckTimeout { get; init; }

    /// <summary>Rooms to join or leave.</summary>
    public IReadOnlyList<string> TargetRooms { get; init; } = [];

    /// <summary>For a disconnect: close the whole connection, not only the namespace.</summary>
    public bool Close { get; init; }
}
