using PushServer.EngineIO.Transports;

namespace PushServer.EngineIO.Sessions;

/// <summary>
/// The upgrade of a polling session to WebSocket. One attempt at a time, as engine.io's <c>upgrading</c> flag: from the
/// moment a WebSocket arrives with the session's id until it takes over or gives up, another one is closed at once, and
/// so is any after the upgrade. A probe still pending when the session closes, for whatever reason, is closed with it.
/// </summary>
internal sealed partial class EngineSession
{
    // The upgrade attempt in progress: what reserved it (the request, before its WebSocket was accepted), then its
    // probe transport once that runs. Null when none is.
    private object? _upgradeAttempt;

    /// <summary>
    /// How long after the client's <c>2probe</c> polls are released with noop, as engine.io's upgrade check does every
    /// 100 ms. Not at once: in engine.io one thread reads the probe socket in order, so a GET the client sends after its
    /// <c>5</c> always finds the upgrade done and gets 400. Here the probe's reader and the GET run on different threads,
    /// and a GET can overtake the <c>2probe</c> and <c>5</c> already on the wire; held this long, it sees the upgrade
    /// complete and is refused as it would have been. A client that follows the protocol waits for this noop before it
    /// sends <c>5</c>, exactly as with engine.io.
    /// </summary>
    internal static readonly TimeSpan UpgradePollRelease = TimeSpan.FromMilliseconds(100);

    private ITimer? _upgradePollReleaseTimer;

    /// <summary>True between the client's <c>2probe</c> and the end of the upgrade.</summary>
    internal bool IsUpgrading { get; private set; }

    /// <summary>True from <see cref="UpgradePollRelease"/> after <c>2probe</c> until the upgrade ends: polls get noop.</summary>
    internal bool IsUpgradeReleasingPolls { get; private set; }

    /// <summary>True once a WebSocket took over; a second upgrade is refused.</summary>
    internal bool IsUpgraded { get; private set; }

    /// <summary>
    /// Claims the session's one upgrade attempt for <paramref name="attempt"/>. False, and the WebSocket is to be closed at
    /// once, when the session is not open, not polling, already upgraded, or another attempt is in progress.
    /// </summary>
    internal bool TryBeginUpgradeAttempt(object attempt)
    {
        lock (_sync)
        {
            if (_state != SessionState.Open || IsUpgraded || _upgradeAttempt is not null || _transport is not PollingTransport)
            {
                return false;
            }
            _upgradeAttempt = attempt;
            return true;
        }
    }

    /// <summary>
    /// The WebSocket of <paramref name="attempt"/> was accepted and runs as <paramref name="probe"/>: from now on closing
    /// the session closes it. False when the session closed meanwhile (the attempt is then over).
    /// </summary>
    internal bool AttachProbe(object attempt, WebSocketTransport probe)
    {
        lock (_sync)
        {
            if (!ReferenceEquals(_upgradeAttempt, attempt))
            {
                return false;
            }
            if (_state != SessionState.Open)
            {
                _upgradeAttempt = null;
                return false;
            }
            _upgradeAttempt = probe;
            return true;
        }
    }

    /// <summary>
    /// Ends <paramref name="attempt"/> (a reservation or a probe) when it did not take over: polling carries on and a new
    /// attempt may begin. Nothing happens if another attempt holds the session now.
    /// </summary>
    internal void EndUpgradeAttempt(object attempt)
    {
        lock (_sync)
        {
            if (ReferenceEquals(_upgradeAttempt, attempt))
            {
                _upgradeAttempt = null;
                EndUpgradingLocked();
            }
        }
    }

    /// <summary>
    /// The probing WebSocket got <c>2probe</c>: polls are released with noop from <see cref="UpgradePollRelease"/> on,
    /// so the client can pause polling.
    /// </summary>
    internal bool BeginUpgrade()
    {
        lock (_sync)
        {
            if (_state != SessionState.Open || IsUpgraded)
            {
                return false;
            }
            IsUpgrading = true;
            _upgradePollReleaseTimer?.Dispose();
            _upgradePollReleaseTimer = _time.CreateTimer(
                static s => ((EngineSession)s!).ReleasePollsForUpgrade(), this, UpgradePollRelease, Timeout.InfiniteTimeSpan);
        }
        return true;
    }

    private void ReleasePollsForUpgrade()
    {
        lock (_sync)
        {
            if (!IsUpgrading)
            {
                return;
            }
            IsUpgradeReleasingPolls = true;
        }
        _transport.OnQueueSignal();
    }

    private void EndUpgradingLocked()
    {
        IsUpgrading = false;
        IsUpgradeReleasingPolls = false;
        _upgradePollReleaseTimer?.Dispose();
        _upgradePollReleaseTimer = null;
    }

    /// <summary>The probing WebSocket got <c>5</c>: it becomes the session's transport.</summary>
    internal bool CompleteUpgrade(ISessionTransport webSocket)
    {
        ISessionTransport old;
        lock (_sync)
        {
            if (_state != SessionState.Open || IsUpgraded)
            {
                EndUpgradingLocked();
                return false;
            }
            old = _transport;
            _transport = webSocket;
            _upgradeAttempt = null;
            EndUpgradingLocked();
            IsUpgraded = true;
        }
        old.OnSessionClosed();
        EngineLog.Upgraded(_logger, Id);
        try
        {
            _handler.OnUpgraded(this);
        }
        catch (Exception ex)
        {
            // The upgrade itself is done; a handler's fault must not undo it.
            EngineLog.HandlerFailed(_logger, ex, Id, nameof(IEngineConnectionHandler.OnUpgraded));
        }
        return true;
    }

    /// <summary>
    /// The session is closing: a pending probe is closed now, as engine.io's upgrade ends on the socket's close, instead
    /// of living on until the upgrade timeout. Polling, resumed, delivers what the close leaves to deliver.
    /// </summary>
    private void CloseUpgradeAttempt()
    {
        WebSocketTransport? probe;
        lock (_sync)
        {
            probe = _upgradeAttempt as WebSocketTransport;
            _upgradeAttempt = null;
            EndUpgradingLocked();
        }
        probe?.AbandonProbe();
    }
}
