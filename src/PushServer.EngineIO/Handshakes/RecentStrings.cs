using System.Net;
using System.Text;

namespace PushServer.EngineIO.Handshakes;

/// <summary>
/// Hands out the same string instance for text seen recently, instead of a new copy per connection. Each handshake is
/// kept for its connection's life (<c>socket.handshake</c>), and most of its text repeats from one connection to the
/// next: the request target (<c>/socket.io/?EIO=4&amp;transport=websocket</c>), the <c>Host</c>, <c>Origin</c> and
/// <c>User-Agent</c> values, query names and values, and the client address (behind a reverse proxy, always the same).
/// </summary>
/// <remarks>
/// A fixed table of slots, each holding the last string that hashed to it: lookups and replacements need no lock (a
/// slot is one reference), memory is bounded whatever clients send, and text that collides or never repeats only
/// costs the copy it would have cost anyway.
/// </remarks>
internal sealed class RecentStrings
{
    private const int SlotCount = 512;

    /// <summary>The table every handshake uses.</summary>
    public static RecentStrings Shared { get; } = new();

    /// <summary>Longer text is copied, not kept: the table stays small.</summary>
    public const int MaxLength = 256;

    private readonly string?[] _slots = new string?[SlotCount];

    /// <summary>The text of ASCII <paramref name="ascii"/>, shared with earlier callers when it was seen recently.</summary>
    public string Ascii(ReadOnlySpan<byte> ascii)
    {
        if (ascii.IsEmpty)
        {
            return "";
        }
        if (ascii.Length > MaxLength)
        {
            return Encoding.ASCII.GetString(ascii);
        }
        var hash = 2166136261;
        foreach (var b in ascii)
        {
            hash = (hash ^ b) * 16777619;
        }
        ref var slot = ref _slots[hash % SlotCount];
        var seen = Volatile.Read(ref slot);
        if (seen is not null && seen.Length == ascii.Length && System.Text.Ascii.Equals(ascii, seen))
        {
            return seen;
        }
        var text = Encoding.ASCII.GetString(ascii);
        Volatile.Write(ref slot, text);
        return text;
    }

    /// <summary>The same for <paramref name="chars"/>; text that is not ASCII is copied, never kept.</summary>
    public string Chars(ReadOnlySpan<char> chars)
    {
        if (chars.IsEmpty)
        {
            return "";
        }
        if (chars.Length > MaxLength || !System.Text.Ascii.IsValid(chars))
        {
            return chars.ToString();
        }
        Span<byte> ascii = stackalloc byte[chars.Length];
        System.Text.Ascii.FromUtf16(chars, ascii, out _);
        return Ascii(ascii);
    }

    /// <summary>The text form of <paramref name="address"/> (as <see cref="IPAddress.ToString"/>), shared likewise.</summary>
    public string Address(IPAddress? address)
    {
        if (address is null)
        {
            return "";
        }
        Span<char> text = stackalloc char[64];
        return address.TryFormat(text, out var written) ? Chars(text[..written]) : address.ToString();
    }
}
