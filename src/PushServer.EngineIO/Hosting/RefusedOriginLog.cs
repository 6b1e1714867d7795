using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace PushServer.EngineIO.Hosting;

/// <summary>
/// Logs each refused origin once, at Warning, with what to configure: a page refused by CORS shows its user only
/// <c>xhr poll error</c>, so the server's log is where the operator learns which origin to allow. Memory is bounded:
/// past <see cref="MaxOrigins"/> distinct origins one last line says so, and later ones go to the Debug refusal alone,
/// so a client inventing origins costs a fixed amount of memory and log.
/// </summary>
internal sealed class RefusedOriginLog(ILogger logger, string advice)
{
    /// <summary>
    /// Distinct origins remembered. A deployment has a handful of sites; a hundred leaves room for all of them while
    /// keeping the set small (each kept origin at most <see cref="MaxOriginLength"/> characters).
    /// </summary>
    public const int MaxOrigins = 100;

    /// <summary>Characters of an origin kept; real ones are far shorter, and the header itself may be kilobytes long.</summary>
    public const int MaxOriginLength = 256;

    private readonly ConcurrentDictionary<string, byte> _seen = new(StringComparer.OrdinalIgnoreCase);
    private int _count;
    private int _full;

    /// <summary>Logs <paramref name="origin"/> unless it was logged before or the bound is reached.</summary>
    public void Refused(string origin, string host)
    {
        var key = origin.Length > MaxOriginLength ? origin[..MaxOriginLength] : origin;
        if (_seen.ContainsKey(key) || Volatile.Read(ref _full) != 0)
        {
            return;
        }
        if (Interlocked.Increment(ref _count) > MaxOrigins)
        {
            if (Interlocked.Exchange(ref _full, 1) == 0)
            {
                EngineLog.RefusedOriginsNoLongerLogged(logger, MaxOrigins, advice);
            }
            return;
        }
        if (!_seen.TryAdd(key, 0))
        {
            // Another request from the same origin got there first and logged it; give the slot back.
            Interlocked.Decrement(ref _count);
            return;
        }
        EngineLog.OriginRefused(logger, origin, host, advice);
    }
}
