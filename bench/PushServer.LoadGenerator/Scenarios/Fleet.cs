using System.Diagnostics;
using System.Net;
using PushServer.LoadGenerator.Clients;
using PushServer.LoadGenerator.Measurement;

namespace PushServer.LoadGenerator.Scenarios;

/// <summary>
/// Many clients of one server, opened at a fixed rate from several loopback source addresses, with shared
/// counters: how many joined <c>/</c>, how many chat messages arrived and how late.
/// </summary>
internal sealed class Fleet : IAsyncDisposable
{
    private readonly List<ILoadClient> _clients = [];
    private readonly TaskCompletionSource _allConnected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _connected;
    private int _closed;
    private long _delivered;
    private int _target;
    private HttpClient? _http;

    public LatencyRecorder Latency { get; } = new();

    public int Connected => Volatile.Read(ref _connected);

    public int Closed => Volatile.Read(ref _closed);

    public long Delivered => Interlocked.Read(ref _delivered);

    public IReadOnlyList<ILoadClient> Clients => _clients;

    /// <summary>Opens <paramref name="count"/> WebSocket clients, <paramref name="perSecond"/> a second, and waits until all joined.</summary>
    /// <param name="polling">Long-polling clients instead of WebSocket ones.</param>
    public async Task OpenAsync(IPEndPoint server, int count, int perSecond, int eio, int sourceAddresses, Func<Fleet, IClientEvents>? events, TimeSpan timeout, bool polling = false)
    {
        _target = count;
        var sources = new SourceAddressPool(sourceAddresses);
        var started = Stopwatch.GetTimestamp();
        var pending = new List<Task<ILoadClient>>();
        if (polling)
        {
            _http = PollingLoadClient.CreateHttpClient(sources);
        }
        using var cts = new CancellationTokenSource(timeout);
        for (var i = 0; i < count; i++)
        {
            // Pace the connection attempts: client i starts at i / perSecond seconds.
            var due = TimeSpan.FromSeconds((double)i / perSecond) - Stopwatch.GetElapsedTime(started);
            if (due > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(due, cts.Token).ConfigureAwait(false);
            }
            var clientEvents = events?.Invoke(this) ?? new Counting(this);
            pending.Add(polling
                ? ConnectAs(() => PollingLoadClient.ConnectAsync(_http!, server, eio, clientEvents, cts.Token))
                : ConnectAs(() => WebSocketLoadClient.ConnectAsync(server, sources.Next(), eio, clientEvents, cts.Token)));
        }
        foreach (var client in pending)
        {
            _clients.Add(await client.ConfigureAwait(false));
        }
        await _allConnected.Task.WaitAsync(cts.Token).ConfigureAwait(false);
    }

    private static async Task<ILoadClient> ConnectAs<T>(Func<Task<T>> connect)
        where T : ILoadClient
    {
        // A server whose accept queue overflows while thousands connect resets a few connections (Node's default
        // backlog is 511): such a client tries again, a bounded number of times, rather than failing the run.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await connect().ConfigureAwait(false);
            }
            catch (Exception ex) when (attempt < ConnectAttempts && ex is IOException or System.Net.Sockets.SocketException or HttpRequestException)
            {
                Interlocked.Increment(ref s_connectRetries);
                await Task.Delay(TimeSpan.FromMilliseconds(100 * attempt)).ConfigureAwait(false);
            }
        }
    }

    private const int ConnectAttempts = 3;
    private static int s_connectRetries;

    /// <summary>Connection attempts that were reset and tried again, over every fleet of this process.</summary>
    public static int ConnectRetries => Volatile.Read(ref s_connectRetries);

    internal void OnConnected()
    {
        if (Interlocked.Increment(ref _connected) == _target)
        {
            _allConnected.TrySetResult();
        }
    }

    internal void OnDelivered(ReadOnlySpan<byte> text)
    {
        Interlocked.Increment(ref _delivered);
        if (long.TryParse(text, out var sentAt))
        {
            Latency.Record((Stopwatch.GetTimestamp() - sentAt) * 1_000_000 / Stopwatch.Frequency);
        }
    }

    internal void OnClosed() => Interlocked.Increment(ref _closed);

    public async ValueTask DisposeAsync()
    {
        foreach (var chunk in _clients.Chunk(500))
        {
            await Task.WhenAll(chunk.Select(c => c.DisposeAsync().AsTask())).ConfigureAwait(false);
        }
        _http?.Dispose();
    }

    /// <summary>The default per-client events: count joins, deliveries and closes.</summary>
    private sealed class Counting(Fleet fleet) : IClientEvents
    {
        public void OnConnected() => fleet.OnConnected();

        public void OnChatMessage(ReadOnlySpan<byte> text) => fleet.OnDelivered(text);

        public void OnAck(long ackId)
        {
        }

        public void OnClosed(Exception? error) => fleet.OnClosed();
    }
}
