using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace PushServer.SocketIO.Redis.Streams;

/// <summary>
/// A Redis stream entry id, <c>&lt;milliseconds&gt;-&lt;sequence&gt;</c>. It is also the connection state recovery
/// offset a client holds, so ids are compared as numbers, never as strings (<c>"9-0" &lt; "10-0"</c>).
/// </summary>
internal readonly record struct StreamEntryId(ulong Milliseconds, ulong Sequence) : IComparable<StreamEntryId>
{
    /// <summary>The id before any entry: reading after it reads the whole stream.</summary>
    public static StreamEntryId Zero => default;

    /// <summary>Parses <c>ms-seq</c>; anything else (including a client's made-up offset) is refused.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out StreamEntryId id)
    {
        id = default;
        if (text is null)
        {
            return false;
        }
        var dash = text.IndexOf('-');
        if (dash <= 0 || dash == text.Length - 1)
        {
            return false;
        }
        var ms = text.AsSpan(0, dash);
        var seq = text.AsSpan(dash + 1);
        // Digits only, as the Node adapter's /^[0-9]+-[0-9]+$/: no signs, spaces or hex.
        foreach (var c in ms)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }
        foreach (var c in seq)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }
        if (!ulong.TryParse(ms, NumberStyles.None, CultureInfo.InvariantCulture, out var m)
            || !ulong.TryParse(seq, NumberStyles.None, CultureInfo.InvariantCulture, out var s))
        {
            return false;
        }
        id = new StreamEntryId(m, s);
        return true;
    }

    /// <summary>
    /// The smallest id after this one, for XRANGE's inclusive start: exclusive ranges (<c>(id</c>) need Redis 6.2,
    /// the Node adapter supports older servers the same way.
    /// </summary>
    public StreamEntryId Next() => Sequence == ulong.MaxValue ? new(Milliseconds + 1, 0) : new(Milliseconds, Sequence + 1);

    public int CompareTo(StreamEntryId other)
    {
        var byMs = Milliseconds.CompareTo(other.Milliseconds);
        return byMs != 0 ? byMs : Sequence.CompareTo(other.Sequence);
    }

    public static bool operator <(StreamEntryId left, StreamEntryId right) => left.CompareTo(right) < 0;

    public static bool operator >(StreamEntryId left, StreamEntryId right) => left.CompareTo(right) > 0;

    public static bool operator <=(StreamEntryId left, StreamEntryId right) => left.CompareTo(right) <= 0;

    public static bool operator >=(StreamEntryId left, StreamEntryId right) => left.CompareTo(right) >= 0;

    public override string ToString() =>
        Milliseconds.ToString(CultureInfo.InvariantCulture) + "-" + Sequence.ToString(CultureInfo.InvariantCulture);
}
