using System.Runtime.InteropServices;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PushServer.Configuration;
using PushServer.EngineIO;

namespace PushServer.Hosting;

/// <summary>
/// The one owner of shutdown. As the host's lifetime it takes SIGTERM, SIGINT (Ctrl+C) and SIGQUIT; as a lifecycle
/// service it drains before the listeners stop:
/// readiness fails and new handshakes and pushes get 503 (<see cref="DrainState"/>), every session is closed with
/// <c>server shutting down</c> after its queued packets are flushed (clients reconnect elsewhere), and the host stops
/// once every session is gone or the drain budget (<c>Shutdown:DrainSeconds</c>, also the host's shutdown timeout) runs
/// out. A second signal ends the process at once.
/// </summary>
internal sealed partial class GracefulShutdown : IHostLifetime, IHostedLifecycleService, IDisposable
{
    // Left to the listeners after the sessions drained, so Kestrel can finish the close handshakes it has started.
    private static readonly TimeSpan ListenerReserve = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    private readonly DrainState _drain;
    private readonly EngineServer _engine;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly TimeSpan _budget;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly bool _handleSignals;
    private readonly List<PosixSignalRegistration> _signals = [];
    private int _signalCount;

    /// <summary>Creates the component; <paramref name="handleSignals"/> is false in tests that host the server in-process.</summary>
    public GracefulShutdown(
        DrainState drain, EngineServer engine, IHostApplicationLifetime lifetime, IOptions<ShutdownSettings> options,
        TimeProvider time, ILogger<GracefulShutdown> logger, SignalHandling handleSignals)
    {
        _drain = drain;
        _engine = engine;
        _lifetime = lifetime;
        _budget = options.Value.DrainBudget;
        _time = time;
        _logger = logger;
        _handleSignals = handleSignals.Enabled;
    }

    /// <inheritdoc />
    public Task WaitForStartAsync(CancellationToken cancellationToken)
    {
        if (_handleSignals)
        {
            foreach (var signal in new[] { PosixSignal.SIGTERM, PosixSignal.SIGINT, PosixSignal.SIGQUIT })
            {
                _signals.Add(PosixSignalRegistration.Create(signal, OnSignal));
            }
        }
        return Task.CompletedTask;
    }

    Task IHostLifetime.StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Drains: runs before any hosted service stops, with the host's shutdown timeout as its limit.</summary>
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        var deadline = _time.GetUtcNow() + _budget - ListenerReserve;
        _drain.Begin();
        var sessions = _engine.SessionCount;
        Log.DrainStarted(_logger, sessions, _budget.TotalSeconds);
        _engine.CloseAll(EngineCloseReason.ServerShuttingDown);
        try
        {
            while (_engine.SessionCount > 0 && _time.GetUtcNow() < deadline)
            {
                await Task.Delay(PollInterval, _time, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // The host's shutdown timeout passed: stop waiting, the listeners abort what is left.
        }
        if (_engine.SessionCount > 0)
        {
            Log.DrainTimedOut(_logger, _engine.SessionCount);
        }
        else
        {
            Log.DrainFinished(_logger, sessions);
        }
    }

    Task IHostedService.StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var registration in _signals)
        {
            registration.Dispose();
        }
        _signals.Clear();
    }

    private void OnSignal(PosixSignalContext context)
    {
        if (Interlocked.Increment(ref _signalCount) > 1)
        {
            // A second signal: the operator wants out now; let the runtime end the process.
            context.Cancel = false;
            return;
        }
        context.Cancel = true;
        Log.SignalReceived(_logger, context.Signal.ToString());
        // Readiness fails before anything closes, then the host's stop runs StoppingAsync.
        _drain.Begin();
        _lifetime.StopApplication();
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = PushServerEventIds.SignalReceived, Level = LogLevel.Information,
            Message = "{Signal} received: shutting down gracefully (send it again to stop at once)")]
        public static partial void SignalReceived(ILogger logger, string signal);

        [LoggerMessage(EventId = PushServerEventIds.DrainStarted, Level = LogLevel.Information,
            Message = "Draining {Sessions} sessions within {BudgetSeconds} s")]
        public static partial void DrainStarted(ILogger logger, int sessions, double budgetSeconds);

        [LoggerMessage(EventId = PushServerEventIds.DrainFinished, Level = LogLevel.Information,
            Message = "Drained: {Sessions} sessions closed")]
        public static partial void DrainFinished(ILogger logger, int sessions);

        [LoggerMessage(EventId = PushServerEventIds.DrainTimedOut, Level = LogLevel.Warning,
            Message = "Drain budget spent with {Sessions} sessions still open; they are dropped")]
        public static partial void DrainTimedOut(ILogger logger, int sessions);
    }
}

/// <summary>Whether <see cref="GracefulShutdown"/> registers for process signals.</summary>
/// <param name="Enabled">True for the real executable.</param>
internal sealed record SignalHandling(bool Enabled);
