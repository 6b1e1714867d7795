using System.Diagnostics;
using PushServer.LoadGenerator.Clients;
using PushServer.LoadGenerator.Measurement;

namespace PushServer.LoadGenerator.Scenarios;

/// <summary>
/// Clients in a closed loop emitting <c>echo</c> with an ack request and waiting for the ack before the next:
/// acks per second, acks per server CPU-second and round-trip percentiles.
/// </summary>
internal static class EchoScenario
{
    public static async Task<ScenarioResult> RunAsync(LoadOptions options)
    {
        var server = new ProcessSampler(options.ServerPid);
        var recorder = new LatencyRecorder();
        var loops = new List<EchoLoop>();
        await using var fleet = new Fleet();
        await fleet.OpenAsync(options.Server, options.Clients, options.ConnectRate, options.Eio, options.SourceAddresses,
            f =>
            {
                var loop = new EchoLoop(f, recorder);
                loops.Add(loop);
                return loop;
            },
            TimeSpan.FromMinutes(2),
            options.Polling);
        for (var i = 0; i < loops.Count; i++)
        {
            loops[i].Client = fleet.Clients[i];
        }

        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(options.WarmupSeconds + options.Seconds));
        var running = Task.WhenAll(loops.Select(l => l.RunAsync(stop.Token)));
        await Task.Delay(TimeSpan.FromSeconds(options.WarmupSeconds));
        recorder.Reset();
        var serverCpuBefore = server.CpuSeconds();
        var started = Stopwatch.GetTimestamp();
        await running;
        var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var serverCpu = server.CpuSeconds() - serverCpuBefore;
        var acks = recorder.Count;
        var (p50, p90, p99, max) = recorder.Percentiles();
        return new ScenarioResult("echo")
            .Set("eio", options.Eio)
            .Set("transport", options.Polling ? "polling" : "websocket")
            .Set("clients", options.Clients)
            .Set("warmupSeconds", options.WarmupSeconds)
            .Set("acksPerSecond", acks / elapsed)
            .Set("acksPerServerCpuSecond", serverCpu > 0 ? acks / serverCpu : double.NaN)
            .Set("rttP50Ms", p50)
            .Set("rttP90Ms", p90)
            .Set("rttP99Ms", p99)
            .Set("rttMaxMs", max)
            .Set("ackTimeouts", loops.Sum(l => l.Timeouts));
    }

    /// <summary>One client's loop: emit, await the ack, record the round trip, repeat.</summary>
    private sealed class EchoLoop(Fleet fleet, LatencyRecorder recorder) : IClientEvents
    {
        private TaskCompletionSource? _pending;
        private int _timeouts;

        public int Timeouts => Volatile.Read(ref _timeouts);

        public ILoadClient Client { get; set; } = null!;

        public async Task RunAsync(CancellationToken stop)
        {
            for (long id = 0; !stop.IsCancellationRequested; id++)
            {
                var pending = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                Volatile.Write(ref _pending, pending);
                var sentAt = Stopwatch.GetTimestamp();
                try
                {
                    await Client.SendEchoAsync(id, stop).ConfigureAwait(false);
                    await pending.Task.WaitAsync(TimeSpan.FromSeconds(10), stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                catch (TimeoutException)
                {
                    // No ack within 10 s: the server does not answer echo (or is overloaded); count it and go on.
                    Interlocked.Increment(ref _timeouts);
                    continue;
                }
                recorder.Record((Stopwatch.GetTimestamp() - sentAt) * 1_000_000 / Stopwatch.Frequency);
            }
        }

        public void OnConnected() => fleet.OnConnected();

        public void OnChatMessage(ReadOnlySpan<byte> text)
        {
        }

        public void OnAck(long ackId) => Volatile.Read(ref _pending)?.TrySetResult();

        public void OnClosed(Exception? error) => fleet.OnClosed();
    }
}
