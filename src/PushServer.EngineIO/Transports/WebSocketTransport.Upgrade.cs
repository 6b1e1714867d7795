using System.Net.WebSockets;
using PushServer.EngineIO.Protocol;

namespace PushServer.EngineIO.Transports;

/// <summary>The upgrade probe: a WebSocket joining a polling session answers the probe before it takes over.</summary>
internal sealed partial class WebSocketTransport
{
    /// <summary>
    /// Serves an upgrade of a polling session: answers <c>2probe</c> with <c>3probe</c>, and on <c>5</c> takes
    /// the session over. Anything else, or no <c>5</c> within upgradeTimeout, ends the probe and polling carries on.
    /// </summary>
    public async Task RunUpgradeAsync()
    {
        // On timeout the probe socket is closed with a close frame; cancelling a pending receive instead
        // would abort the socket without a close handshake. The deadline covers the probe only: it is gone before
        // the upgraded socket starts carrying the session.
        var deadline = _session.Time.CreateTimer(
            static state => ((WebSocketTransport)state!).AbandonProbe(), this, _session.Options.UpgradeTimeout, Timeout.InfiniteTimeSpan);
        var upgraded = false;
        try
        {
            while (!upgraded)
            {
                var message = await ReceiveMessageAsync().ConfigureAwait(false);
                if (message is not { } packet || Volatile.Read(ref _closeSent) == 1)
                {
                    break;
                }
                if (packet.Type == EnginePacketType.Ping && packet.IsProbe)
                {
                    if (!_session.BeginUpgrade())
                    {
                        break;
                    }
                    await SendAsync(EnginePacket.PongProbe).ConfigureAwait(false);
                }
                else if (packet.Type == EnginePacketType.Upgrade)
                {
                    upgraded = _session.CompleteUpgrade(this);
                    if (!upgraded)
                    {
                        break;
                    }
                }
                else
                {
                    break;
                }
            }
        }
        catch (WebSocketException ex) when (ex.WebSocketErrorCode == WebSocketError.Faulted)
        {
            // A bad frame on the probe socket: the socket answered it with its close frame; the upgrade does not happen.
            Volatile.Write(ref _failedByClient, 1);
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or IOException or ObjectDisposedException)
        {
            // The probe socket failed: the upgrade simply does not happen.
        }

        deadline.Dispose();
        if (!upgraded)
        {
            _session.EndUpgradeAttempt(this);
            await CloseSocketAsync().ConfigureAwait(false);
            return;
        }
        await RunAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Ends a probe that did not finish in time, or whose session closed, with a close frame; the probe's reader then
    /// ends with the client's answer. A timer firing as the upgrade completes changes nothing.
    /// </summary>
    internal void AbandonProbe()
    {
        if (!ReferenceEquals(_session.Transport, this))
        {
            _ = SendCloseFrameAsync();
        }
    }
}
