using PushServer.SocketIO.Adapters;
using PushServer.SocketIO.Redis.Protocol;
using PushServer.SocketIO.Redis.Streams;
using StackExchange.Redis;

namespace PushServer.SocketIO.Redis;

public sealed partial class RedisStreamsAdapter
{
    // Entries asked per XRANGE while collecting a session's missed events.
    private const int RestorePageSize = 1000;

    // How many times a restore reads on when the reader got ahead of it; each round reads only what is new, so a few
    // suffice unless the stream grows faster than it can be read, and then the client connects as a new socket.
    private const int MaxRestoreRounds = 20;

    /// <inheritdoc />
    /// <remarks>
    /// As the Node adapter: <c>SET sio:session:&lt;pid&gt; &lt;base64 MessagePack&gt; PX &lt;window&gt;</c>, so the key
    /// expires with the recovery window. Not awaited; the node waits for such writes before it lets go of Redis.
    /// </remarks>
    public override void PersistSession(PersistedSession session)
    {
        var recovery = Namespace.Server.Options.ConnectionStateRecovery;
        var database = _cluster.Database;
        if (recovery is null || database is null)
        {
            return;
        }
        var write = database.StringSetAsync(_cluster.Options.SessionKeyPrefix + session.Pid, SessionCodec.Encode(session, Json),
            recovery.MaxDisconnectionDuration);
        _cluster.Track(write);
        _ = ObservePersistAsync(write);
    }

    /// <inheritdoc />
    /// <remarks>
    /// The session key is read and deleted in one step (GETDEL), so a session is recovered at most once, and the offset
    /// must still be in the stream (not trimmed away), as in the Node adapter. The missed events are then read with
    /// XRANGE, and handed over against the reader's position under its gate: events up to that position were already
    /// delivered to this node's clients (the recovered socket was not among them), so they come from XRANGE; events
    /// after it reach the socket live once it is attached. Each missed event therefore arrives once, in stream order,
    /// ahead of anything newer. (The Node adapter attaches without that check, and can repeat or skip events written
    /// while it restores.)
    /// </remarks>
    public override async ValueTask<bool> RestoreSessionAsync(
        string pid, string offset, Func<RecoveredSession, bool> attach, CancellationToken cancellationToken)
    {
        var database = _cluster.Database;
        if (!StreamEntryId.TryParse(offset, out var from) || database is null)
        {
            return false;
        }
        await _cluster.WaitUntilPositionedAsync(cancellationToken)
            .WaitAsync(_cluster.ConnectionOptions.RequestsTimeout, _cluster.Time, cancellationToken).ConfigureAwait(false);

        var key = new RedisKey(_cluster.Options.SessionKeyPrefix + pid);
        // GETDEL (Redis 6.2): read and forgotten in one step.
        var stored = database.StringGetDeleteAsync(key);
        var offsetEntry = database.StreamRangeAsync(_cluster.StreamKey, offset, offset, count: 1);
        var raw = await stored.ConfigureAwait(false);
        if (raw.IsNullOrEmpty || (await offsetEntry.ConfigureAwait(false)).Length == 0
            || !SessionCodec.TryDecode(raw!, Json, out var session))
        {
            return false;
        }

        var missed = new List<(StreamEntryId Id, BroadcastPacket Packet)>();
        var readUpTo = from;
        for (var round = 0; round < MaxRestoreRounds; round++)
        {
            readUpTo = await ReadMissedAsync(database, readUpTo, session!.Rooms, missed).ConfigureAwait(false);
            var outcome = _cluster.AtReaderPosition(position =>
            {
                if (position > readUpTo)
                {
                    // The reader already delivered entries this restore has not read: read on first.
                    return (bool?)null;
                }
                var packets = new List<BroadcastPacket>(missed.Count);
                foreach (var (id, packet) in missed)
                {
                    if (id <= position)
                    {
                        packets.Add(packet);
                    }
                }
                return attach(new RecoveredSession(session, packets));
            });
            if (outcome is { } attached)
            {
                return attached;
            }
        }
        Log.RestoreOutpaced(_logger, Namespace.Name);
        return false;
    }

    /// <summary>Adds the stored events of this namespace after <paramref name="after"/> that select <paramref name="rooms"/>; returns the last id read.</summary>
    private async Task<StreamEntryId> ReadMissedAsync(
        IDatabase database, StreamEntryId after, IReadOnlyList<string> rooms, List<(StreamEntryId, BroadcastPacket)> missed)
    {
        while (true)
        {
            var page = await database.StreamRangeAsync(_cluster.StreamKey, after.Next().ToString(), "+", count: RestorePageSize)
                .ConfigureAwait(false);
            foreach (var entry in page)
            {
                if (!StreamEntryId.TryParse(entry.Id, out var id))
                {
                    continue;
                }
                after = id;
                if (TryReadStoredEvent(entry.Values, rooms, out var packet))
                {
                    missed.Add((id, packet!.WithOffset(id.ToString())));
                }
            }
            if (page.Length < RestorePageSize)
            {
                return after;
            }
        }
    }

    /// <summary>A broadcast of this namespace that got an offset (no ack, not volatile) and that the rooms select.</summary>
    private bool TryReadStoredEvent(NameValueEntry[] fields, IReadOnlyList<string> rooms, out BroadcastPacket? packet)
    {
        packet = null;
        if (!StreamMessageCodec.TryDecode(fields, out var message) || message!.Nsp != Namespace.Name
            || message.Type != ClusterMessageType.Broadcast || message.RequestId is not null
            || !RedisMessageCodec.TryReadBroadcast(message.Uid, message.Data?.GetValueOrDefault("packet"),
                message.Data?.GetValueOrDefault("opts"), out var broadcast)
            || broadcast!.Options.Flags.Volatile || !Selects(broadcast.Options, rooms))
        {
            return false;
        }
        packet = new BroadcastPacket(Namespace.Name, broadcast.EventName, broadcast.Args);
        return true;
    }

    /// <summary>socket.io's <c>shouldIncludePacket</c>: in one of the target rooms (or all), in none of the excluded.</summary>
    private static bool Selects(BroadcastOptions options, IReadOnlyList<string> rooms)
    {
        var included = options.Rooms.Count == 0;
        foreach (var room in rooms)
        {
            if (options.Except.Contains(room))
            {
                return false;
            }
            included |= options.Rooms.Contains(room);
        }
        return included;
    }

    private async Task ObservePersistAsync(Task write)
    {
        try
        {
            await write.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
        {
            Log.PersistFailed(_logger, Namespace.Name, ex);
        }
    }
}
