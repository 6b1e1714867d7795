namespace PushServer.Hosting;

/// <summary>
/// Whether the server is draining. Once set, readiness fails, new handshakes and pushes get 503, and existing sessions
/// keep being served until they are closed. It never goes back.
/// </summary>
internal sealed class DrainState
{
    private int _draining;

    /// <summary>True once shutdown has begun.</summary>
    public bool IsDraining => Volatile.Read(ref _draining) == 1;

    /// <summary>Starts draining; true for the first call only.</summary>
    public bool Begin() => Interlocked.Exchange(ref _draining, 1) == 0;
}
