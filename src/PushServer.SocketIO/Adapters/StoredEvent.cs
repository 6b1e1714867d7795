using System.Globalization;
using System.Runtime.CompilerServices;
using PushServer.EngineIO;
using PushServer.SocketIO.Protocol;

namespace PushServer.SocketIO.Adapters;

/// <summary>
/// One event kept by <see cref="RecoveryLog"/>: the bytes of its protocol v5 encoding (offset included), which is all a
/// recovering client is sent, and the rooms that select its recipients. Nothing else of the event stays reachable: not
/// its arguments (a cloned JSON document, any object graph), nor the packets delivered live, whose per-transport
/// frames grow on use. So <see cref="Size"/> can count what it holds.
/// </summary>
internal readonly struct StoredEvent
{
    // Managed object sizes on a 64-bit runtime: an object header and method table pointer (16 bytes), then for an
    // array its length (8 with padding), for a string its length (4) and the characters with a terminator; every
    // object is a multiple of 8 bytes.
    private const int ArrayOverhead = 24;
    private const int StringOverhead = 22;

    private StoredEvent(long seq, byte[] text, byte[][] attachments, string eventName, string[] rooms, string[] except, DateTimeOffset emittedAt)
    {
        Seq = seq;
        Text = text;
        Attachments = attachments;
        EventName = eventName;
        Rooms = rooms;
        Except = except;
        EmittedAt = emittedAt;
        Size = Bytes(text.Length, 1) + (attachments.Length == 0 ? 0 : Bytes(attachments.Length, IntPtr.Size))
            + Bytes(eventName) + Bytes(rooms) + Bytes(except);
        foreach (var attachment in attachments)
        {
            Size += Bytes(attachment.Length, 1);
        }
    }

    /// <summary>
    /// Bytes of the ring slot that holds one event. <see cref="RecoveryLog"/> counts the whole ring array, spare slots
    /// included, besides each event's <see cref="Size"/>.
    /// </summary>
    public static int SlotSize => Unsafe.SizeOf<StoredEvent>();

    /// <summary>The offset the event was stored under.</summary>
    public long Seq { get; }

    /// <summary>The Engine.IO message's data: the Socket.IO packet with the offset as its last argument.</summary>
    public byte[] Text { get; }

    /// <summary>The binary attachments' bytes, in placeholder order.</summary>
    public byte[][] Attachments { get; }

    /// <summary>The event name, for the <see cref="BroadcastPacket"/> handed back.</summary>
    public string EventName { get; }

    /// <summary>Rooms whose members are selected; empty selects every socket.</summary>
    public string[] Rooms { get; }

    /// <summary>Rooms whose members are left out.</summary>
    public string[] Except { get; }

    /// <summary>When the event was stored; it expires with the disconnection window.</summary>
    public DateTimeOffset EmittedAt { get; }

    /// <summary>
    /// Bytes of the objects this event alone keeps reachable: the arrays and strings above (the event name and room
    /// names counted even when shared, so the count errs high, never low).
    /// </summary>
    public long Size { get; }

    /// <summary>Copies what recovery needs out of <paramref name="encoded"/>, the v5 encoding of an event stored under <paramref name="seq"/>.</summary>
    public static StoredEvent Create(long seq, string eventName, EncodedPacket encoded, BroadcastOptions options, DateTimeOffset emittedAt)
    {
        byte[][] attachments = encoded.Attachments.Count == 0 ? [] : new byte[encoded.Attachments.Count][];
        for (var i = 0; i < attachments.Length; i++)
        {
            attachments[i] = encoded.Attachments[i].Data.ToArray();
        }
        return new StoredEvent(seq, encoded.Text.Data.ToArray(), attachments, eventName, ToArray(options.Rooms), ToArray(options.Except), emittedAt);
    }

    /// <summary>socket.io-adapter's <c>shouldIncludePacket</c>: in one of the target rooms (or all), in none of the excluded.</summary>
    public bool Selects(IReadOnlyList<string> rooms)
    {
        var included = Rooms.Length == 0;
        foreach (var room in rooms)
        {
            if (Array.IndexOf(Except, room) >= 0)
            {
                return false;
            }
            included |= Array.IndexOf(Rooms, room) >= 0;
        }
        return included;
    }

    /// <summary>The event as a recovering client of namespace <paramref name="nsp"/> receives it.</summary>
    public BroadcastPacket ToPacket(string nsp)
    {
        var attachments = new EnginePacket[Attachments.Length];
        for (var i = 0; i < attachments.Length; i++)
        {
            attachments[i] = EnginePacket.Binary(Attachments[i]);
        }
        return BroadcastPacket.Recovered(nsp, EventName, Seq.ToString("x", CultureInfo.InvariantCulture),
            new EncodedPacket(EnginePacket.Text(Text), attachments));
    }

    private static string[] ToArray(IReadOnlySet<string> rooms) => rooms.Count == 0 ? [] : [.. rooms];

    private static long Bytes(int length, int elementSize) => Align(ArrayOverhead + (long)length * elementSize);

    private static long Bytes(string text) => Align(StringOverhead + 2L * text.Length);

    private static long Bytes(string[] rooms)
    {
        if (rooms.Length == 0)
        {
            return 0;
        }
        var bytes = Bytes(rooms.Length, IntPtr.Size);
        foreach (var room in rooms)
        {
            bytes += Bytes(room);
        }
        return bytes;
    }

    private static long Align(long bytes) => (bytes + 7) & ~7L;
}
