using System.Buffers;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using PushServer.EngineIO.Hosting;
using PushServer.EngineIO.Protocol;
using PushServer.EngineIO.Sessions;

namespace PushServer.EngineIO.Transports;

/// <summary>
/// HTTP long-polling for one session: one GET at a time waits for packets; one POST at a time carries
/// packets from the client. v3 sessions opened with <c>j=N</c> use the JSONP variant.
/// </summary>
internal sealed partial class PollingTransport : ISessionTransport
{
    private static readonly byte[] OkBody = "ok"u8.ToArray();
    private readonly Lock _sync = new();
    private readonly EngineSession _session;
    private readonly string? _jsonpIndex;
    private CancellationTokenSource? _pollWake;
    private PollWake? _queued;
    private bool _postActive;

    public PollingTransport(EngineSession session, string? jsonpIndex)
    {
        _session = session;
        _jsonpIndex = jsonpIndex;
    }

    public string Name => "polling";

    public bool IsWritableNow => Volatile.Read(ref _pollWake) is not null;

    /// <summary>
    /// Wakes the waiting poll. From a thread of its own (a broadcast's fan-out slice, the heartbeat timer) the poll's
    /// answer is written right there, as a WebSocket's write is: a broadcast to a thousand polls is then one work item
    /// per slice instead of one per poll. Otherwise the answer is written by a thread-pool work item, so a broadcast
    /// never runs a request's code on its own thread.
    /// </summary>
    public void OnQueueSignal(SendMode mode)
    {
        PollWake? queued;
        lock (_sync)
        {
            queued = _queued;
        }
        if (queued is not null && !queued.Task.IsCompleted)
        {
            if (mode == SendMode.WriteOnCallingThread)
            {
                // Outside the lock: the poll's continuation runs inside this call.
                queued.TrySetResult();
            }
            else
            {
                ThreadPool.UnsafeQueueUserWorkItem(queued, preferLocal: false);
            }
        }
        // A poll released during an upgrade answers noop: WakePoll says so, where a packet only means "look again".
        if (_session.IsUpgradeReleasingPolls)
        {
            WakePoll();
        }
    }

    public void OnSessionClosed() => WakePoll();

    /// <summary>
    /// A polling client that stopped polling holds no connection; a GET still waiting is woken by the close and gets
    /// the close packet, and the next one finds no session.
    /// </summary>
    public void Drop() => WakePoll();

    private void WakePoll()
    {
        lock (_sync)
        {
            _pollWake?.Cancel();
        }
    }

    /// <summary>
    /// A GET ends in exactly one of these ways: queued packets are written; the session closed (its queued packets
    /// in one response, then <c>1</c> alone in the next); an upgrade is under way (noop <c>6</c>); the upgrade completed
    /// before the GET was answered (400, as for any GET after it); a second GET arrived (400 for it, the session
    /// closes, this one gets <c>1</c>); or the client went away (the session closes, nothing written).
    /// </summary>
    public async Task HandleGetAsync(HttpContext context)
    {
        CancellationTokenSource wake;
        lock (_sync)
        {
            if (_pollWake is not null)
            {
                wake = null!;
            }
            else
            {
                wake = _pollWake = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
            }
        }
        if (wake is null)
        {
            EngineLog.ProtocolViolation(_session.Logger, _session.Id, "overlapping GET");
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            _session.Abort(EngineCloseReason.TransportError, EnginePacket.Close);
            return;
        }

        PollAnswer? result = null;
        try
        {
            result = await WaitForPacketsAsync(context, wake.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client dropped the connection while its poll was held: control flow, not an error.
        }
        finally
        {
            lock (_sync)
            {
                _pollWake = null;
            }
            wake.Dispose();
        }

        if (result is null)
        {
            EngineLog.TransportEnded(_session.Logger, _session.Id, "poll connection closed prematurely");
            _session.Abort(EngineCloseReason.TransportError);
            return;
        }
        if (result.Value.Packets is not { } packets)
        {
            EngineLog.RequestRefused(_session.Logger, (int)EngineError.BadRequest, "poll after the upgrade", context.Request.Method, context.Request.Path);
            await EngineErrorResponder.WriteAsync(context, EngineError.BadRequest, isUpgrade: false).ConfigureAwait(false);
            return;
        }
        await WritePayloadAsync(context, packets).ConfigureAwait(false);
        if (result.Value.Final)
        {
            _session.Finish();
        }
    }

    private async Task<PollAnswer> WaitForPacketsAsync(HttpContext context, CancellationToken wakeToken)
    {
        var woken = false;
        while (true)
        {
            if (!ReferenceEquals(_session.Transport, this))
            {
                // Upgraded away before this GET was answered: the client sent it after its 5, and the queue now
                // belongs to the WebSocket.
                return PollAnswer.UpgradedAway;
            }
            switch (_session.CurrentState)
            {
                case SessionState.Closed:
                    return new([_session.FinalPollPacket], true);
                case SessionState.Closing:
                    // What was queued goes out first and the close alone in the next poll, as the reference does:
                    // socket.io-client handles a response's messages a tick after it decoded them, so messages that
                    // share a response with the close reach it after its disconnect (and are replayed again when it
                    // recovers its session).
                    var last = _session.DrainQueue();
                    return last.Count > 0 ? new(last, false) : new([EnginePacket.Close], true);
            }
            // Armed before looking at the queue, so a packet queued in between still wakes this poll.
            // Completed only by OnQueueSignal, which decides on which thread the continuation runs.
            var queued = new PollWake();
            lock (_sync)
            {
                _queued = queued;
            }
            var packets = _session.DrainQueue();
            if (packets.Count > 0)
            {
                return new(packets, false);
            }
            if (woken || _session.IsUpgradeReleasingPolls)
            {
                // Releases the client's poll so it can pause polling and finish the upgrade.
                return new([EnginePacket.Noop], false);
            }
            try
            {
                await queued.Task.WaitAsync(wakeToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!context.RequestAborted.IsCancellationRequested)
            {
                // A wake-up from an upgrade (released, or done: the next turn refuses this GET) or a close, not a
                // disconnect: look at the state once more.
                woken = true;
            }
        }
    }

    /// <summary>
    /// The waiting poll's wake-up: its own work item when queued to the thread pool, so queueing it allocates nothing.
    /// </summary>
    private sealed class PollWake : TaskCompletionSource, IThreadPoolWorkItem
    {
        void IThreadPoolWorkItem.Execute() => TrySetResult();
    }

    /// <summary>What a GET answers: <see cref="Packets"/>, then the session ends when <see cref="Final"/>; no packets: 400.</summary>
    private readonly record struct PollAnswer(List<EnginePacket>? Packets, bool Final)
    {
        public static PollAnswer UpgradedAway => new(null, false);
    }
}
