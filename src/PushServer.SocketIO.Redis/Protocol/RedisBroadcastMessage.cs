using PushServer.SocketIO.Adapters;

namespace PushServer.SocketIO.Redis.Protocol;

/// <summary>
/// A broadcast as it travels between nodes: <c>[uid, {type: 2, data: [event, ...args], nsp}, {rooms, except, flags}]</c>,
/// or inside a BROADCAST request when acknowledgements are collected.
/// </summary>
internal sealed record RedisBroadcastMessage(string? Uid, string Namespace, string EventName, object?[] Args, BroadcastOptions Options);
