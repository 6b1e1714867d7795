using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using PushServer.LoadGenerator.Clients;
using PushServer.LoadGenerator.Measurement;

namespace PushServer.LoadGenerator.Scenarios;

/// <summary>
/// A long hold: N WebSocket clients, steady pushes through the push API, and reconnect churn (clients dropped without
/// a close and replaced by new ones), while the server's resident memory and its own connection count are sampled.
/// Memory is judged flat by <see cref="MemoryTrend"/> over the second half of the samples after the warm-up (the
/// trend over all of them is reported too). Bounded by
/// <c>--seconds</c>; loopback only, like every scenario.
/// </summary>
internal static class SoakScenario
{
    public static async Task<ScenarioResult> RunAsync(LoadOptions options, SoakOptions soak)
    {
        if (options.PushApi is null)
        {
            throw new ArgumentException("--push is required for the soak scenario");
        }
        var server = new ProcessSampler(options.ServerPid);
        var sources = new SourceAddressPool(options.SourceAddresses);
        var counters = new SoakCounters();
        using var http = new HttpClient { BaseAddress = options.PushApi, Timeout = TimeSpan.FromSeconds(30) };
        var clients = new Slot[options.Clients];
        var rssAtStart = server.RssBytes() / 1048576.0;

        // Open the fleet at the connect rate, as the other scenarios do.
        var opening = Stopwatch.StartNew();
        using (var open = new CancellationTokenSource(TimeSpan.FromMinutes(5)))
        {
            var pending = new Task<Slot>[clients.Length];
            for (var i = 0; i < clients.Length; i++)
            {
                var due = TimeSpan.FromSeconds((double)i / options.ConnectRate) - opening.Elapsed;
                if (due > TimeSpan.FromMilliseconds(1))
                {
                    await Task.Delay(due, open.Token);
                }
                pending[i] = Slot.OpenAsync(options, sources.Next(), counters, open.Token);
            }
            for (var i = 0; i < clients.Length; i++)
            {
                clients[i] = await pending[i];
            }
        }
        Console.Error.WriteLine($"soak: {clients.Length} clients open after {opening.Elapsed.TotalSeconds:F0} s; holding for {soak.Seconds} s");

        var samples = new List<(double Seconds, double RssMiB)>();
        var sampleLog = new List<object>();
        var cpuBefore = server.CpuSeconds();
        var clock = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(soak.Seconds));
        var pushing = PushAsync(http, soak, counters, stop.Token);
        var churning = ChurnAsync(options, soak, clients, sources, counters, stop.Token);
        try
        {
            while (!stop.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromSeconds(soak.SampleSeconds), stop.Token);
                var rss = server.RssBytes() / 1048576.0;
                var connections = await ServerConnectionsAsync(http);
                var t = clock.Elapsed.TotalSeconds;
                if (t >= soak.WarmupSeconds)
                {
                    samples.Add((t, rss));
                }
                sampleLog.Add(new { t = Math.Round(t), rssMiB = Math.Round(rss, 1), serverConnections = connections });
                Console.Error.WriteLine(
                    $"soak: t={t,5:F0} s  rss={rss,7:F1} MiB  server connections={connections}  pushes={counters.Pushes}  " +
                    $"delivered={counters.Delivered}  reconnects={counters.Reconnects}  unexpected closes={counters.UnexpectedCloses}");
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The hold time is over: the normal way out of the sampling loop.
        }
        await Task.WhenAll(pushing, churning);
        var elapsed = clock.Elapsed.TotalSeconds;
        var serverCpu = server.CpuSeconds() - cpuBefore;
        var finalRss = server.RssBytes() / 1048576.0;
        var finalConnections = await ServerConnectionsAsync(http);
        var (slope, growth, _) = MemoryTrend.Analyse(samples);
        // The verdict is the second half's: a leak grows at the same pace all along, while the runtime's own memory
        // (GC budgets and regions, pools) settles over the first minutes and then only breathes.
        var (lateSlope, lateGrowth, flat) = MemoryTrend.Analyse(samples.Skip(samples.Count / 2).ToList());

        foreach (var chunk in clients.Chunk(500))
        {
            await Task.WhenAll(chunk.Select(s => s.DisposeAsync().AsTask()));
        }
        return new ScenarioResult("soak")
            .Set("eio", options.Eio)
            .Set("clients", options.Clients)
            .Set("seconds", Math.Round(elapsed))
            .Set("pushesPerSecond", soak.PushesPerSecond)
            .Set("churnPerSecond", soak.ChurnPerSecond)
            .Set("pushes", counters.Pushes)
            .Set("delivered", counters.Delivered)
            .Set("reconnects", counters.Reconnects)
            .Set("reconnectFailures", counters.ReconnectFailures)
            .Set("unexpectedCloses", counters.UnexpectedCloses)
            .Set("serverConnectionsAtEnd", finalConnections)
            .Set("serverRssAtStartMiB", rssAtStart)
            .Set("serverRssAtEndMiB", finalRss)
            .Set("rssSlopeMiBPerMinute", slope)
            .Set("rssGrowthAfterWarmupMiB", growth)
            .Set("rssSlopeSecondHalfMiBPerMinute", lateSlope)
            .Set("rssGrowthSecondHalfMiB", lateGrowth)
            .Set("memoryFlat", flat)
            .Set("serverCpuSeconds", serverCpu)
            .Set("samples", sampleLog);
    }

    private static async Task PushAsync(HttpClient http, SoakOptions soak, SoakCounters counters, CancellationToken stop)
    {
        if (soak.PushesPerSecond <= 0)
        {
            return;
        }
        var schedule = new PushSchedule(soak.PushesPerSecond);
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            try
            {
                var stamp = await schedule.WaitUntilDueAsync(i, stop);
                using var response = await http.GetAsync("?msg=" + stamp, stop);
                response.EnsureSuccessStatusCode();
                Interlocked.Increment(ref counters.Pushes);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // The hold time is over.
                return;
            }
        }
    }

    /// <summary>Drops a random client without a close and opens a new one in its place, <c>--churn</c> times a second.</summary>
    private static async Task ChurnAsync(
        LoadOptions options, SoakOptions soak, Slot[] clients, SourceAddressPool sources, SoakCounters counters, CancellationToken stop)
    {
        if (soak.ChurnPerSecond <= 0)
        {
            return;
        }
        var random = new Random(42);
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            var due = TimeSpan.FromSeconds(i / soak.ChurnPerSecond) - Stopwatch.GetElapsedTime(started);
            try
            {
                if (due > TimeSpan.Zero)
                {
                    await Task.Delay(due, stop);
                }
                var index = random.Next(clients.Length);
                await clients[index].DisposeAsync();
                clients[index] = await Slot.OpenAsync(options, sources.Next(), counters, stop);
                Interlocked.Increment(ref counters.Reconnects);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or System.Net.WebSockets.WebSocketException)
            {
                // Counted, not fatal: the next tick tries again.
                Interlocked.Increment(ref counters.ReconnectFailures);
            }
        }
    }

    private static async Task<int> ServerConnectionsAsync(HttpClient http)
    {
        try
        {
            var stats = await http.GetFromJsonAsync<JsonElement>("api/stats");
            return stats.GetProperty("connections").GetInt32();
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException)
        {
            return -1;
        }
    }

    private sealed class SoakCounters
    {
        public long Pushes;
        public long Delivered;
        public long Reconnects;
        public long ReconnectFailures;
        public long UnexpectedCloses;
    }

    /// <summary>One client of the fleet; it knows whether its close was the churn's doing.</summary>
    private sealed class Slot : IClientEvents, IAsyncDisposable
    {
        private readonly SoakCounters _counters;
        private WebSocketLoadClient? _client;
        private volatile bool _retiring;
        private int _disposed;

        private Slot(SoakCounters counters) => _counters = counters;

        public static async Task<Slot> OpenAsync(LoadOptions options, System.Net.IPAddress source, SoakCounters counters, CancellationToken cancellationToken)
        {
            var slot = new Slot(counters);
            slot._client = await WebSocketLoadClient.ConnectAsync(options.Server, source, options.Eio, slot, cancellationToken);
            return slot;
        }

        public void OnConnected()
        {
        }

        public void OnChatMessage(ReadOnlySpan<byte> text) => Interlocked.Increment(ref _counters.Delivered);

        public void OnAck(long ackId)
        {
        }

        public void OnClosed(Exception? error)
        {
            if (!_retiring)
            {
                Interlocked.Increment(ref _counters.UnexpectedCloses);
            }
        }

        public ValueTask DisposeAsync()
        {
            _retiring = true;
            // Once only: a slot the churn retired stays in the array when the hold ends before its replacement opened.
            if (Interlocked.Exchange(ref _disposed, 1) != 0)
            {
                return ValueTask.CompletedTask;
            }
            return _client?.DisposeAsync() ?? ValueTask.CompletedTask;
        }
    }
}
