using System.Runtime.InteropServices;

namespace PushServer.Testing;

/// <summary>
/// A child process stopped with SIGSTOP, as a node hung in a long GC pause, a debugger or swap looks to its cluster:
/// its sockets stay open (its Redis subscriptions included) but it reads and answers nothing. Disposing it sends
/// SIGCONT, so the process can then be stopped the ordinary way; dispose it before the process's own owner.
/// </summary>
/// <example><code>
/// using (FrozenProcess.Freeze(node.ProcessId))
/// {
///     // the other nodes see a node that never answers
/// }
/// </code></example>
public sealed class FrozenProcess : IDisposable, IAsyncDisposable
{
    private const int SigCont = 18;
    private const int SigStop = 19;
    private const int NoSuchProcess = 3;

    private int _resumed;

    private FrozenProcess(int processId) => ProcessId = processId;

    /// <summary>The stopped process.</summary>
    public int ProcessId { get; }

    /// <summary>Stops the process <paramref name="processId"/> (one the test started) until disposal.</summary>
    public static FrozenProcess Freeze(int processId)
    {
        Signal(processId, SigStop, toleratesExited: false);
        return new FrozenProcess(processId);
    }

    /// <summary>Lets the process run again, once; a process that is already gone is not an error.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _resumed, 1) == 0)
        {
            Signal(ProcessId, SigCont, toleratesExited: true);
        }
    }

    /// <inheritdoc cref="Dispose"/>
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private static void Signal(int processId, int signal, bool toleratesExited)
    {
        if (kill(processId, signal) != 0 && Marshal.GetLastPInvokeError() is var errno && !(toleratesExited && errno == NoSuchProcess))
        {
            throw new InvalidOperationException($"kill({processId}, {signal}) failed: errno {errno}");
        }
    }

    [DllImport("libc", SetLastError = true)]
#pragma warning disable SYSLIB1054 // A test helper: a plain P/Invoke is clearer than a generated one.
    private static extern int kill(int pid, int signal);
#pragma warning restore SYSLIB1054
}
