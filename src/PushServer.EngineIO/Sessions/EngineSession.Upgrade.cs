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

    /// <summary>True between the client's <c>2probe</c> and the end of the upgrade: polls are answered with noop.</summary>
    internal bool IsUpgrading { get; private set; }

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
                IsUpgrading = false;
            }
        }
    }

    /// <summary>The probing WebSocket got <c>2probe</c>: pause polling by answering polls with noop.</summary>
    internal bool BeginUpgrade()
    {
        lock (_sync)
        {
            if (_state != SessionState.Open || IsUpgraded)
            {
                return false;
            }
            IsUpgrading = true;
        }
        _transport.OnQueueSignal();
        return true;
    }

    /// <summary>The probing WebSocket got <c>5</c>: it becomes the session's transport.</summary>
    internal bool CompleteUpgrade(ISessionTransport webSocket)
    {
        ISessionTransport old;
        lock (_sync)
        {
            if (_state != SessionState.Open || IsUpgraded)
            {
                IsUpgrading = false;
                return false;
            }
            old = _transport;
            _transport = webSocket;
            _upgradeAttempt = null;
            IsUpgrading = false;
            IsUpgraded = true;
        }
        old.OnSessionClosed();
        EngineLog.Upgraded(_logger, Id);
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
            IsUpgrading = false;
        }
        probe?.AbandonProbe();
    }
}
