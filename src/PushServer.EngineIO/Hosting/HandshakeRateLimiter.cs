using System.Collections.Concurrent;
using System.Net;

namespace PushServer.EngineIO.Hosting;

/// <summary>
/// Counts handshakes per client address in one-second windows. Entries of past seconds are swept once a second, so
/// the table holds only the addresses seen in the current second; when even those pass
/// <see cref="MaxTrackedAddresses"/> (a flood from that many addresses at once), further new addresses are refused
/// until the next second rather than tracked, so the flood costs bounded memory and no per-request scan.
/// </summary>
internal sealed class HandshakeRateLimiter
{
    /// <summary>Enough for every address active in one second on a busy node; an entry is a few dozen bytes.</summary>
    internal const int MaxTrackedAddresses = 100_000;

    private readonly ConcurrentDictionary<IPAddress, Window> _windows = new();
    private readonly TimeProvider _time;
    private long _sweptSecond;
    private int _tracked;

    public HandshakeRateLimiter(TimeProvider time) => _time = time;

    public bool TryAcquire(IPAddress? address, int perSecond)
    {
        if (address is null)
        {
            return true;
        }
        var second = _time.GetUtcNow().ToUnixTimeSeconds();
        var swept = Interlocked.Read(ref _sweptSecond);
        if (swept != second && Interlocked.CompareExchange(ref _sweptSecond, second, swept) == swept)
        {
            Sweep(second);
        }
        if (!_windows.TryGetValue(address, out var entry))
        {
            if (Volatile.Read(ref _tracked) >= MaxTrackedAddresses)
            {
                return false;
            }
            var fresh = new Window(second);
            entry = _windows.GetOrAdd(address, fresh);
            if (ReferenceEquals(entry, fresh))
            {
                Interlocked.Increment(ref _tracked);
            }
        }
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

    /// <summary>Drops the entries of past seconds; runs on one request a second.</summary>
    private void Sweep(long second)
    {
        foreach (var (key, window) in _windows)
        {
            if (Volatile.Read(ref window.Second) != second && _windows.TryRemove(key, out _))
            {
                Interlocked.Decrement(ref _tracked);
            }
        }
    }

    private sealed class Window(long second)
    {
        public long Second = second;
        public int Count;
    }
}
