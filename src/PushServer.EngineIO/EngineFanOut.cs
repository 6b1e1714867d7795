using System.Buffers;
using PushServer.EngineIO.Sessions;
using PushServer.EngineIO.Transports;

namespace PushServer.EngineIO;

/// <summary>
/// Groups the sends of one broadcast so that their writes are started by a few thread-pool work items, one per slice
/// of the recipients, instead of one work item per recipient.
/// </summary>
/// <remarks>
/// <para>
/// Inside the scope (on the thread that began it) <see cref="IEngineSession.Send"/> queues the packet as usual, so
/// each session's order is fixed at once, but does not start the session's writer: the scope remembers the session.
/// <see cref="Dispose"/> then splits the remembered sessions into slices, at most one per core, and each slice's work
/// item writes to its sessions on its own thread (see <see cref="SendMode.WriteOnCallingThread"/>), waiting polls'
/// answers included. Writes never block: a socket whose buffer is full finishes its write asynchronously while the slice goes on.
/// </para>
/// <para>
/// Why: a work item per recipient wakes pool threads and passes each through the pool's queues ten thousand times
/// for a broadcast to ten thousand; a few long work items do the same writes with far fewer wake-ups and cache misses.
/// A broadcast to fewer than <see cref="MinimumRecipients"/> keeps the per-recipient work items: it is over quickly
/// either way, and no recipient waits behind a slice.
/// </para>
/// <para>
/// A scope begun inside another on the same thread (a broadcast made from an outgoing handler) joins the outer one.
/// </para>
/// </remarks>
public readonly struct EngineFanOut : IDisposable
{
    /// <summary>Broadcasts to fewer recipients than this start one writer per recipient, as a single send does.</summary>
    public const int MinimumRecipients = 64;

    /// <summary>The fewest sessions a slice is given: below it, a second slice costs more than it saves.</summary>
    internal const int MinimumSliceLength = 512;

    /// <summary>
    /// Slices per broadcast at most: one per core. Fewer left the readers a core, and cut p99 by a fifth under a
    /// one-thread load generator, but made it a fifth worse under a two-thread one (docs/BENCHMARKS.md, "Fan-out by
    /// slices").
    /// </summary>
    private static readonly int WritingCores = Environment.ProcessorCount;

    [ThreadStatic]
    private static FanOutBatch? t_current;

    private readonly FanOutBatch? _batch;

    private EngineFanOut(FanOutBatch batch) => _batch = batch;

    /// <summary>
    /// Opens a scope for a broadcast to about <paramref name="recipients"/> sessions; dispose it once every send of
    /// the broadcast has been made. A broadcast too small to gain, or a scope already open on this thread, gives a
    /// scope that changes nothing.
    /// </summary>
    public static EngineFanOut Begin(int recipients) =>
        recipients < MinimumRecipients ? default : Begin(recipients, WritingCores, MinimumSliceLength);

    /// <summary>A scope whose slices are cut for <paramref name="cores"/> cores and at least
    /// <paramref name="minimumSliceLength"/> sessions each; tests use it to get many slices from few sessions.</summary>
    internal static EngineFanOut Begin(int recipients, int cores, int minimumSliceLength)
    {
        if (t_current is not null)
        {
            return default;
        }
        var batch = new FanOutBatch(recipients, cores, minimumSliceLength);
        t_current = batch;
        return new EngineFanOut(batch);
    }

    /// <summary>Starts the writers of every session sent to in the scope, from one work item per slice.</summary>
    public void Dispose()
    {
        if (_batch is null || !ReferenceEquals(t_current, _batch))
        {
            return;
        }
        t_current = null;
        _batch.Start();
    }

    /// <summary>How many sessions wait for this scope to start their writers (0 for a scope that changes nothing).</summary>
    internal int DeferredSessions => _batch?.Count ?? 0;

    /// <summary>
    /// Called by a session that has just queued a packet: true when a scope is open on this thread and has taken the
    /// session, whose writer it will start; false when the session must signal its transport itself.
    /// </summary>
    internal static bool TryDefer(EngineSession session)
    {
        if (t_current is not { } batch)
        {
            return false;
        }
        batch.Add(session);
        return true;
    }

    /// <summary>The sessions of one scope, and the slices that write to them.</summary>
    private sealed class FanOutBatch(int capacity, int cores, int minimumSliceLength)
    {
        private EngineSession[] _sessions = ArrayPool<EngineSession>.Shared.Rent(Math.Max(1, capacity));
        private int _count;
        private int _pendingSlices;

        public int Count => _count;

        public void Add(EngineSession session)
        {
            // A packet with attachments is several sends in a row to one session: one signal covers them all.
            if (_count > 0 && ReferenceEquals(_sessions[_count - 1], session))
            {
                return;
            }
            if (_count == _sessions.Length)
            {
                var larger = ArrayPool<EngineSession>.Shared.Rent(_sessions.Length * 2);
                Array.Copy(_sessions, larger, _count);
                Return(_sessions, _count);
                _sessions = larger;
            }
            _sessions[_count++] = session;
        }

        public void Start()
        {
            if (_count == 0)
            {
                Return(_sessions, 0);
                return;
            }
            var slices = Math.Clamp(_count / minimumSliceLength, 1, Math.Max(1, cores));
            var length = (_count + slices - 1) / slices;
            // Counted before any slice runs: the last one to finish returns the array.
            _pendingSlices = (_count + length - 1) / length;
            for (var start = 0; start < _count; start += length)
            {
                ThreadPool.UnsafeQueueUserWorkItem(new Slice(this, start, Math.Min(start + length, _count)), preferLocal: false);
            }
        }

        private void SignalRange(int start, int end)
        {
            try
            {
                for (var i = start; i < end; i++)
                {
                    var session = _sessions[i];
                    try
                    {
                        session.SignalQueued(SendMode.WriteOnCallingThread);
                    }
                    catch (Exception ex)
                    {
                        // One transport's fault must not leave the rest of the slice unwritten.
                        EngineLog.WriterStartFailed(session.Logger, ex, session.Id);
                    }
                }
            }
            finally
            {
                if (Interlocked.Decrement(ref _pendingSlices) == 0)
                {
                    Return(_sessions, _count);
                }
            }
        }

        private static void Return(EngineSession[] sessions, int used)
        {
            // Cleared so a pooled array does not keep closed sessions alive.
            Array.Clear(sessions, 0, used);
            ArrayPool<EngineSession>.Shared.Return(sessions);
        }

        private sealed class Slice(FanOutBatch batch, int start, int end) : IThreadPoolWorkItem
        {
            public void Execute() => batch.SignalRange(start, end);
        }
    }
}
