using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace PushServer.EngineIO.Tests;

/// <summary>A real Kestrel serving Engine.IO at <c>/engine.io/</c>, with virtual time and a recording handler.</summary>
public sealed class EngineTestHost : IAsyncDisposable
{
    private readonly KestrelTestServer _server;
    private readonly List<ClientWebSocket> _openedSockets = [];

    private EngineTestHost(KestrelTestServer server, RecordingHandler handler, FakeTimeProvider time, EngineServer engine)
    {
        _server = server;
        Handler = handler;
        Time = time;
        Engine = engine;
        Http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public RecordingHandler Handler { get; }

    public FakeTimeProvider Time { get; }

    public EngineServer Engine { get; }

    public HttpClient Http { get; }

    public Uri BaseAddress => _server.BaseAddress;

    public EngineIOOptions Options => Engine.Options;

    /// <param name="configure">Changes the options.</param>
    /// <param name="timerShift">How far off its due time every engine timer fires (see <see cref="ShiftedTimerClock"/>).</param>
    public static async Task<EngineTestHost> StartAsync(Action<EngineIOOptions>? configure = null, TimeSpan timerShift = default)
    {
        var handler = new RecordingHandler();
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z"));
        TimeProvider engineTime = timerShift == TimeSpan.Zero ? time : new ShiftedTimerClock(time, timerShift);
        var options = new EngineIOOptions();
        configure?.Invoke(options);
        EngineServer engine = null!;
        var server = await KestrelTestServer.StartAsync(
            services => services.AddSingleton<TimeProvider>(time),
            app =>
            {
                engine = new EngineServer(handler, options, engineTime, app.Services.GetService<Microsoft.Extensions.Logging.ILoggerFactory>());
                app.MapEngineIO("/engine.io", engine);
            });
        return new EngineTestHost(server, handler, time, engine);
    }

    public Uri WebSocketUri(string query) => _server.WebSocketUri("engine.io/?" + query);

    public async Task<(HttpStatusCode Status, string Body, HttpResponseMessage Response)> GetAsync(string query, Action<HttpRequestMessage>? customize = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "engine.io/?" + query);
        customize?.Invoke(request);
        var response = await Http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response);
    }

    public async Task<(HttpStatusCode Status, string Body)> PostAsync(string query, string body, string contentType = "text/plain;charset=UTF-8")
    {
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        var response = await Http.PostAsync("engine.io/?" + query, content);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public async Task<(HttpStatusCode Status, string Body)> PostBytesAsync(string query, byte[] body, string contentType)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        var response = await Http.PostAsync("engine.io/?" + query, content);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Opens a polling session and returns its id.</summary>
    public async Task<string> OpenPollingAsync(int eio = 4, string extraQuery = "")
    {
        var (status, body, _) = await GetAsync($"EIO={eio}&transport=polling{extraQuery}");
        Assert.Equal(HttpStatusCode.OK, status);
        var start = body.IndexOf("\"sid\":\"", StringComparison.Ordinal) + 7;
        var sid = body.Substring(start, 20);
        await Handler.WaitForAsync<Opened>(e => e.Session.Id == sid);
        return sid;
    }

    /// <summary>Opens a WebSocket at <c>/engine.io/?{query}</c>; the caller disposes it.</summary>
    public async Task<ClientWebSocket> ConnectWebSocketAsync(string query)
    {
        var ws = new ClientWebSocket();
        try
        {
            await ws.ConnectAsync(WebSocketUri(query), CancellationToken.None);
        }
        catch
        {
            ws.Dispose();
            throw;
        }
        return ws;
    }

    /// <summary>
    /// Opens a session over WebSocket alone: connects, reads the open packet, and returns the socket (disposed with the
    /// host) with its session.
    /// </summary>
    public async Task<(ClientWebSocket WebSocket, IEngineSession Session)> OpenWebSocketAsync(string query = "EIO=4&transport=websocket")
    {
        var ws = await ConnectWebSocketAsync(query);
        _openedSockets.Add(ws);
        await Frames.ReceiveTextAsync(ws);
        return (ws, (await Handler.WaitForAsync<Opened>()).Session);
    }

    /// <summary>Opens an upgrade WebSocket for a polling session and answers its probe (<c>2probe</c> → <c>3probe</c>).</summary>
    public async Task<ClientWebSocket> ProbeAsync(string sid, int eio = 4)
    {
        var ws = await ConnectWebSocketAsync($"EIO={eio}&transport=websocket&sid={sid}");
        await Frames.SendTextAsync(ws, "2probe");
        Assert.Equal("3probe", await Frames.ReceiveTextAsync(ws));
        return ws;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var ws in _openedSockets)
        {
            ws.Dispose();
        }
        Http.Dispose();
        await _server.DisposeAsync();
    }
}
