namespace PushServer.AdminUi;

/// <summary>
/// Bounds what password logins to the admin namespace can cost. A bcrypt check is slow on purpose (tens of
/// milliseconds of CPU), and one Engine.IO connection may send any number of CONNECT packets, so without a bound
/// anyone who reaches the Socket.IO port could guess passwords as fast as the cores allow and take the CPU from every
/// client while doing it. Two bounds, neither of which @socket.io/admin-ui has:
/// <list type="bullet">
/// <item>an address with <see cref="MaxFailures"/> failed logins within <see cref="FailureWindow"/> is refused without a
/// check until the window has passed;</item>
/// <item>one check runs at a time in the process, and at most <see cref="MaxWaiting"/> more wait for it; a login beyond
/// that is refused at once, so a flood from many addresses holds at most one core.</item>
/// </list>
/// A login with a session id from an earlier login costs no bcrypt check and is not counted.
/// </summary>
internal sealed class AdminLoginGuard
{
    /// <summary>Failed logins an address may make within <see cref="FailureWindow"/>.</summary>
    internal const int MaxFailures = 5;

    /// <summary>The window failures are counted in, from an address's first failure in it.</summary>
    internal static readonly TimeSpan FailureWindow = TimeSpan.FromMinutes(1);

    /// <summary>Logins that may wait for the check under way; beyond them a login is refused at once.</summary>
    internal const int MaxWaiting = 4;

    /// <summary>
    /// Addresses tracked at most. A table full of live windows (failures from that many addresses within a minute)
    /// stops tracking new addresses rather than growing: the one-check-at-a-time bound still holds for them.
    /// </summary>
    internal const int MaxTrackedAddresses = 10_000;

    private readonly TimeProvider _time;
    private readonly Dictionary<string, FailureWindowEntry> _failures = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _check = new(1, 1);
    private int _waiting;

    public AdminLoginGuard(TimeProvider time) => _time = time;

    /// <summary>What a login attempt was allowed to do.</summary>
    internal enum Verdict
    {
        /// <summary>The password was checked; see the result.</summary>
        Checked,

        /// <summary>The address failed too often lately: not checked.</summary>
        AddressLockedOut,

        /// <summary>Too many checks were waiting: not checked.</summary>
        Busy,
    }

    /// <summary>
    /// Runs <paramref name="check"/> (the bcrypt verification) for a login from <paramref name="address"/> if the bounds
    /// allow it, counting a failure against the address. The result says so for the failure that
    /// locked the address out (<c>LockedOutNow</c>), so the caller logs it once.
    /// </summary>
    public async Task<(Verdict Verdict, bool Matches, bool LockedOutNow)> CheckAsync(
        string address, Func<bool> check, CancellationToken cancellationToken)
    {
        if (IsLockedOut(address))
        {
            return (Verdict.AddressLockedOut, false, false);
        }
        if (Interlocked.Increment(ref _waiting) > MaxWaiting + 1)
        {
            Interlocked.Decrement(ref _waiting);
            return (Verdict.Busy, false, false);
        }
        bool matches;
        try
        {
            await _check.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                // Off the connection's I/O thread: the check blocks its thread for its whole duration.
                matches = await Task.Run(check, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _check.Release();
            }
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }
        if (matches)
        {
            lock (_failures)
            {
                _failures.Remove(address);
            }
            return (Verdict.Checked, true, false);
        }
        return (Verdict.Checked, false, CountFailure(address));
    }

    private bool IsLockedOut(string address)
    {
        var now = _time.GetUtcNow();
        lock (_failures)
        {
            return _failures.TryGetValue(address, out var entry) && now < entry.Start + FailureWindow && entry.Count >= MaxFailures;
        }
    }

    /// <summary>Counts a failure; true when it is the one that reaches <see cref="MaxFailures"/>.</summary>
    private bool CountFailure(string address)
    {
        var now = _time.GetUtcNow();
        lock (_failures)
        {
            if (!_failures.TryGetValue(address, out var entry) || now >= entry.Start + FailureWindow)
            {
                if (_failures.Count >= MaxTrackedAddresses && !_failures.ContainsKey(address))
                {
                    Sweep(now);
                    if (_failures.Count >= MaxTrackedAddresses)
                    {
                        return false;
                    }
                }
                entry = new FailureWindowEntry(now, 0);
            }
            entry = entry with { Count = entry.Count + 1 };
            _failures[address] = entry;
            return entry.Count == MaxFailures;
        }
    }

    private void Sweep(DateTimeOffset now)
    {
        foreach (var (address, entry) in _failures)
        {
            if (now >= entry.Start + FailureWindow)
            {
                _failures.Remove(address);
            }
        }
    }

    private readonly record struct FailureWindowEntry(DateTimeOffset Start, int Count);
}
