using System.Diagnostics;

namespace PushServer.Testing;

/// <summary>
/// Timeouts shared by every test, so a hung test fails with a message instead of
/// stalling the run. Generous on purpose: CI machines are small and shared.
/// </summary>
public static class TestTimeouts
{
    /// <summary>
    /// The default wait for anything a test expects to happen: 10 seconds, or no limit
    /// while a debugger is attached (so stepping through a test does not fail it).
    /// </summary>
    public static TimeSpan Default => Debugger.IsAttached ? Timeout.InfiniteTimeSpan : TimeSpan.FromSeconds(10);
}
