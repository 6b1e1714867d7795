using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace PushServer.EngineIO.Handshakes;

/// <summary>
/// A read-only map over name/value pairs kept in one array (name at even index, value after it), for the handful
/// of headers and query parameters a handshake keeps per session. A dictionary costs several hundred bytes more per
/// idle connection; lookups here are linear, which is fine for the few entries and rare reads.
/// </summary>
internal abstract class PairList : IReadOnlyDictionary<string, string>
{
    private readonly StringComparison _comparison;

    protected PairList(StringComparison comparison)
    {
        _comparison = comparison;
    }

    /// <summary>Names and values alternating; a repeated name keeps its first value for lookups.</summary>
    protected abstract string[] Pairs { get; }

    public string this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"'{key}' is not present.");

    public IEnumerable<string> Keys => this.Select(pair => pair.Key);

    public IEnumerable<string> Values => this.Select(pair => pair.Value);

    public int Count
    {
        get
        {
            var pairs = Pairs;
            var count = 0;
            for (var i = 0; i < pairs.Length; i += 2)
            {
                if (IndexOf(pairs, pairs[i]) == i)
                {
                    count++;
                }
            }
            return count;
        }
    }

    public bool ContainsKey(string key) => IndexOf(Pairs, key) >= 0;

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string value)
    {
        var pairs = Pairs;
        var index = IndexOf(pairs, key);
        value = index >= 0 ? pairs[index + 1] : null;
        return index >= 0;
    }

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator()
    {
        var pairs = Pairs;
        for (var i = 0; i < pairs.Length; i += 2)
        {
            if (IndexOf(pairs, pairs[i]) == i)
            {
                yield return new KeyValuePair<string, string>(pairs[i], pairs[i + 1]);
            }
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private int IndexOf(string[] pairs, string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        for (var i = 0; i < pairs.Length; i += 2)
        {
            if (string.Equals(pairs[i], key, _comparison))
            {
                return i;
            }
        }
        return -1;
    }
}
