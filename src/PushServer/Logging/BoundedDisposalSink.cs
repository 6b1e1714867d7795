using Serilog.Core;
using Serilog.Events;

namespace PushServer.Logging;

/// <summary>
/// Disposes the sink behind within a budget. Disposing the queue in front of the console waits until everything
/// queued is written, which never happens when the output is a pipe whose reader stopped: the process would hang on
/// its way out. Past the budget the rest of the queue is left unwritten.
/// </summary>
internal sealed class BoundedDisposalSink(ILogEventSink inner, TimeSpan budget) : ILogEventSink, IDisposable
{
    /// <inheritdoc />
    public void Emit(LogEvent logEvent) => inner.Emit(logEvent);

    /// <inheritdoc />
    public void Dispose()
    {
        if (inner is IDisposable disposable)
        {
            Task.Run(disposable.Dispose).Wait(budget);
        }
    }
}
