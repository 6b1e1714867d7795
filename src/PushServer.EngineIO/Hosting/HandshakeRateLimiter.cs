using System.Collections.Concurrent;
using System.Net;

namespace PushServer.EngineIO.Hosting;

/// <summary>
/// Counts handshakes per client address in one-second windows. The table is bounded: past
/// <see cref="MaxTrackedAddresses"/> entries, those of past windows are dropped, so a flood from many addresses
/// costs at most that many small entries.
/// </summary>
internal sealed class HandshakeRateLimiter
{
    /// <summary>Enough for every address active in one second on a busy node; an entry is a few dozen bytes.</summary>
    internal const int MaxTrackedAddresses = 100_000;

    private readonly ConcurrentDictionary<IPAddress, Window> _windows = new();
    private readonly TimeProvider _time;

    public HandshakeRateLimiter(TimeProvider time) => _time = time;

    public bool TryAcquire(IPAddress? address, int perSecond)
    {
        if (address is null)
        {
            return true;
        }
        var second = _time.GetUtcNow().ToUnixTimeSeconds();
        if (_windows.Count >= MaxTrackedAddresses)
        {
            foreach (var (key, window) in _windows)
            {
                if (window.Second != second)
                {
                    _windows.TryRemove(key, out _);
                }
            }
        }
        var entry = _windows.GetOrAdd(address, static (_, s) => new Window(s), second);
        lock (entry)
        {
            if (entry.Second != second)
            {
                entry.Second = second;
                entry.Count = 0;
            }
            entry.Count++;
            return entry.Count <= perSecond;
        }
    }

    private sealed class Window(long second)
    {
        public long Second = second;
        public int Count;
    }
}
