using PushServer.EngineIO.Protocol;
using PushServer.EngineIO.Transports;

namespace PushServer.EngineIO.Sessions;

internal sealed partial class EngineSession
{
    /// <summary>
    /// Handles one packet from the client on the active transport. Transports call this sequentially,
    /// so the handler above sees messages in order and never concurrently.
    /// </summary>
    internal async ValueTask ReceiveAsync(InboundPacket packet)
    {
        if (Volatile.Read(ref _opening) is { } opening && !opening.Task.IsCompleted)
        {
            // A fast client can POST before the handler has heard of the session.
            await opening.Task.ConfigureAwait(false);
        }
        if (_state != SessionState.Open)
        {
            return;
        }
        if (!TryTakeInboundToken())
        {
            EngineLog.RateLimited(_logger, Id, _options.MaxInboundPacketsPerSecond);
            EngineMetrics.Limit("inbound_rate");
            Abort(EngineCloseReason.RateLimited);
            return;
        }
        switch (packet.Type)
        {
            case EnginePacketType.Message:
                await DeliverAsync(packet).ConfigureAwait(false);
                break;
            case EnginePacketType.Ping:
                if (Protocol == EngineProtocolVersion.V4)
                {
                    // v4 pings flow server to client only.
                    EngineLog.ProtocolViolation(_logger, Id, "invalid heartbeat direction");
                    Abort(EngineCloseReason.TransportError);
                    return;
                }
                Send(EnginePacket.Pong);
                _store.Deadlines.Set(this, _options.PingInterval + _options.PingTimeout);
                break;
            case EnginePacketType.Pong:
                if (Protocol == EngineProtocolVersion.V3)
                {
                    EngineLog.ProtocolViolation(_logger, Id, "invalid heartbeat direction");
                    Abort(EngineCloseReason.TransportError);
                    return;
                }
                lock (_sync)
                {
                    if (_state == SessionState.Open)
                    {
                        _awaitingPong = false;
                        _store.Deadlines.Set(this, _options.PingInterval);
                    }
                }
                break;
            case EnginePacketType.Close:
                // The client said goodbye: a poll still waiting is released with a noop, as the reference does.
                Abort(EngineCloseReason.TransportClose, EnginePacket.Noop);
                break;
            default:
                // open, upgrade and noop mean nothing on an established transport; the reference ignores them.
                break;
        }
    }

    /// <summary>
    /// The inbound token bucket: <see cref="EngineIOOptions.InboundPacketBurst"/> tokens, refilled at
    /// <see cref="EngineIOOptions.MaxInboundPacketsPerSecond"/>. Transports deliver packets one at a time, so no lock.
    /// </summary>
    private bool TryTakeInboundToken()
    {
        var rate = _options.MaxInboundPacketsPerSecond;
        if (rate <= 0)
        {
            return true;
        }
        var burst = Math.Max(_options.InboundPacketBurst, 1);
        var now = _time.GetTimestamp();
        if (double.IsNaN(_inboundTokens))
        {
            _inboundTokens = burst;
        }
        else
        {
            var elapsed = _time.GetElapsedTime(_inboundRefilledAt, now).TotalSeconds;
            _inboundTokens = Math.Min(burst, _inboundTokens + elapsed * rate);
        }
        _inboundRefilledAt = now;
        if (_inboundTokens < 1)
        {
            return false;
        }
        _inboundTokens -= 1;
        return true;
    }

    /// <summary>Tells the handler about the session; messages wait until this has completed.</summary>
    internal async Task OpenAsync()
    {
        try
        {
            await _handler.OnOpenedAsync(this).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            EngineLog.HandlerFailed(_logger, ex, Id, nameof(IEngineConnectionHandler.OnOpenedAsync));
            Close(EngineCloseReason.ForcedClose);
        }
        finally
        {
            _opening!.TrySetResult();
            Volatile.Write(ref _opening, null);
        }
    }

    private async ValueTask DeliverAsync(InboundPacket packet)
    {
        lock (_sync)
        {
            _delivering = true;
        }
        try
        {
            if (packet.IsBinary)
            {
                await _handler.OnBinaryAsync(this, packet.Data).ConfigureAwait(false);
            }
            else
            {
                await _handler.OnTextAsync(this, packet.Data).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            // A fault in the layer above must not take the transport loop down with it.
            EngineLog.HandlerFailed(_logger, ex, Id, packet.IsBinary ? nameof(IEngineConnectionHandler.OnBinaryAsync) : nameof(IEngineConnectionHandler.OnTextAsync));
        }
        finally
        {
            EngineCloseReason? deferred;
            lock (_sync)
            {
                _delivering = false;
                deferred = _closeToNotify;
                if (deferred is not null)
                {
                    _closeNotified = true;
                }
            }
            if (deferred is { } reason)
            {
                InvokeOnClosed(reason);
            }
        }
    }

    /// <summary>Reports a packet the client sent that could not be decoded.</summary>
    internal void OnParseError(string detail)
    {
        EngineLog.ProtocolViolation(_logger, Id, detail);
        Abort(EngineCloseReason.ParseError);
    }

    /// <summary>
    /// Ends the session now when its heartbeat deadline is a timeout (no pong to the last ping, or v3 pings stopped)
    /// that passed before the timer ran; true when it did. A deadline that is only the next ping is left to the timer.
    /// </summary>
    internal bool EndIfHeartbeatExpired()
    {
        lock (_sync)
        {
            if (_state == SessionState.Closed || (Protocol == EngineProtocolVersion.V4 && !_awaitingPong))
            {
                return false;
            }
        }
        if (!_store.Deadlines.TryGetOverdue(this, out _))
        {
            return false;
        }
        EngineLog.PingTimeout(_logger, Id);
        Abort(EngineCloseReason.PingTimeout, EnginePacket.Close);
        return true;
    }

    /// <param name="due">When the heartbeat was due: the ping timeout counts from there, not from when the timer ran.</param>
    private void OnHeartbeatTimer(long due)
    {
        bool timedOut;
        lock (_sync)
        {
            if (_state == SessionState.Closed)
            {
                return;
            }
            // v4: the interval elapsed, so ping and wait pingTimeout for the pong; a second expiry means no pong.
            // v3: the client's pings stopped for pingInterval + pingTimeout.
            // While closing, no ping goes out (Send refuses) but the timeout is armed all the same, so the session of
            // a client that is gone ends on time.
            timedOut = Protocol == EngineProtocolVersion.V3 || _awaitingPong;
            if (!timedOut)
            {
                // The ping was due at due; a client counting pingInterval + pingTimeout from the handshake (or from its
                // last pong) expects the session to end then, however late the timer ran this time.
                _awaitingPong = true;
                _store.Deadlines.SetAt(this, due, _options.PingTimeout);
            }
        }
        if (timedOut)
        {
            EngineLog.PingTimeout(_logger, Id);
            // The peer is presumed gone: the session ends now (later requests get "Session ID unknown"),
            // and a poll still waiting receives the close packet.
            Abort(EngineCloseReason.PingTimeout, EnginePacket.Close);
        }
        else
        {
            // Written on the timer's thread: see SendMode.WriteOnCallingThread.
            Send(EnginePacket.Ping, SendMode.WriteOnCallingThread);
        }
    }
}
