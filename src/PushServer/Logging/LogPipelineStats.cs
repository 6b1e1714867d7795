using Serilog.Sinks.Async;

namespace PushServer.Logging;

/// <summary>
/// What the log pipeline did not write, for <c>/metrics</c>: events dropped because the output was stuck and the
/// queue in front of it full, and client-caused events held back by the <see cref="ClientEventLimiter"/>.
/// </summary>
internal sealed class LogPipelineStats : IAsyncLogEventSinkMonitor
{
    private IAsyncLogEventSinkInspector? _queue;

    /// <summary>The limiter, once the pipeline is built.</summary>
    public ClientEventLimiter? Limiter { get; set; }

    /// <summary>Events dropped since start-up because the queue to the output was full.</summary>
    public long Dropped => Volatile.Read(ref _queue)?.DroppedMessagesCount ?? 0;

    /// <summary>Events the limiter suppressed since start-up (each also counted in a summary line).</summary>
    public long Suppressed => Limiter?.SuppressedTotal ?? 0;

    /// <inheritdoc />
    public void StartMonitoring(IAsyncLogEventSinkInspector inspector) => Volatile.Write(ref _queue, inspector);

    /// <inheritdoc />
    public void StopMonitoring(IAsyncLogEventSinkInspector inspector)
    {
        // Keeps the last count readable: the queue is only stopped when the logger is disposed.
    }
}
