using System.Collections.Concurrent;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PushServer.Configuration;
using PushServer.Hosting;

namespace PushServer.AdversarialTests.PushApi;

/// <summary>
/// The executable's host, both ports, inside the test process on 127.0.0.1 with ports chosen by the system: what the
/// push-port attacks run against. Given a queue, the host logs everything into it (Debug and up) so a test can check
/// that an attack logged nothing above Information.
/// </summary>
internal sealed class ExecutableHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ExecutableHost(WebApplication app)
    {
        _app = app;
        var listeners = app.Services.GetRequiredService<ListenerEndpoints>();
        PushPort = listeners.PushEndPoint!.Port;
        SocketPort = listeners.SocketIOEndPoint!.Port;
    }

    public int PushPort { get; }

    public int SocketPort { get; }

    /// <summary>Starts the host with <paramref name="settings"/> (configuration keys) over the test defaults.</summary>
    public static async Task<ExecutableHost> StartAsync(IReadOnlyDictionary<string, string?>? settings = null, ConcurrentQueue<TestLogEntry>? log = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["Server:Port"] = "0",
            ["Server:Bind"] = "127.0.0.1",
            ["PushApi:Port"] = "0",
            ["Logging:Level"] = "Warning",
            ["Shutdown:DrainSeconds"] = "2",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }
        var loaded = PushServerConfiguration.Load(null, new ConfigurationOverrides { Values = values }, environment: [], currentDirectory: Path.GetTempPath());
        Assert.Empty(ConfigurationCheck.Run(loaded));
        var app = PushServerHost.Build(loaded, handleSignals: false, log is null ? null : services =>
            services.AddSingleton<ILoggerFactory>(LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Debug).AddProvider(new QueueLoggerProvider(log)))));
        await app.StartAsync();
        return new ExecutableHost(app);
    }

    /// <summary>A client of the push port, sending <paramref name="token"/> as bearer token when given.</summary>
    public HttpClient PushClient(string? token = null, TimeSpan? timeout = null)
    {
        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{PushPort}/"), Timeout = timeout ?? TimeSpan.FromSeconds(100) };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
