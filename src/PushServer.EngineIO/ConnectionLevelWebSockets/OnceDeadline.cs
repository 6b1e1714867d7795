using PushServer.EngineIO.Sessions;

namespace PushServer.EngineIO.ConnectionLevelWebSockets;

/// <summary>
/// A connection's deadline before it is served (nothing sent yet, or no whole request head yet): firing acts on
/// <typeparamref name="T"/> (resets the socket, cancels the pending read) at most once, and never after
/// <see cref="TryFinish"/> won. A cleared deadline stays queued until its time, so a finished one lets go of its target.
/// </summary>
internal sealed class OnceDeadline<T>(T target, Action<T> fire) : IDeadlineOwner
    where T : class
{
    private const int Waiting = 0;
    private const int Finished = 1;
    private const int Fired = 2;

    private T? _target = target;
    private int _state;
    private DeadlineSlot _deadline;

    public ref DeadlineSlot Deadline => ref _deadline;

    public bool HasFired => Volatile.Read(ref _state) == Fired;

    public void OnDeadline(long due)
    {
        if (Interlocked.CompareExchange(ref _state, Fired, Waiting) == Waiting)
        {
            fire(_target!);
        }
    }

    /// <summary>True when the wait ended before the deadline fired, which then never will.</summary>
    public bool TryFinish()
    {
        if (Interlocked.CompareExchange(ref _state, Finished, Waiting) != Waiting)
        {
            return false;
        }
        _target = null;
        return true;
    }
}
