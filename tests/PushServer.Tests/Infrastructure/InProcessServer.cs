using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using PushServer.Configuration;
using PushServer.Hosting;

namespace PushServer.Tests.Infrastructure;

/// <summary>
/// The real server host (both listeners) inside the test process, on 127.0.0.1 with ports chosen by the system.
/// Disposing it stops the host, also when the test failed.
/// </summary>
public sealed class InProcessServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private InProcessServer(WebApplication app)
    {
        _app = app;
        var listeners = app.Services.GetRequiredService<ListenerEndpoints>();
        SocketIOPort = listeners.SocketIOEndPoint!.Port;
        PushPort = listeners.PushEndPoint!.Port;
    }

    /// <summary>The Socket.IO listener's port.</summary>
    public int SocketIOPort { get; }

    /// <summary>The push listener's port.</summary>
    public int PushPort { get; }

    /// <summary><c>http://127.0.0.1:PUSHPORT/</c>.</summary>
    public Uri PushUri => new($"http://127.0.0.1:{PushPort}/");

    /// <summary><c>http://127.0.0.1:SOCKETIOPORT/</c>.</summary>
    public Uri SocketIOUri => new($"http://127.0.0.1:{SocketIOPort}/");

    /// <summary><c>http://127.0.0.1:SOCKETIOPORT</c>, what a socket.io client is given.</summary>
    public string SocketIOUrl => $"http://127.0.0.1:{SocketIOPort}";

    /// <summary>The host's services.</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>
    /// Starts a server; <paramref name="settings"/> are configuration keys such as <c>PushApi:Token</c>, and
    /// <paramref name="configureServices"/> may change services the configuration does not reach (library options).
    /// </summary>
    public static async Task<InProcessServer> StartAsync(
        IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? configureServices = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["Server:Port"] = "0",
            ["Server:Bind"] = "127.0.0.1",
            ["PushApi:Port"] = "0",
            ["Logging:Level"] = "Warning",
            ["Shutdown:DrainSeconds"] = "3",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }
        var loaded = PushServerConfiguration.Load(
            explicitFile: null, new ConfigurationOverrides { Values = values }, environment: [], currentDirectory: Path.GetTempPath());
        var problems = ConfigurationCheck.Run(loaded);
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
        var app = PushServerHost.Build(loaded, handleSignals: false, configureServices);
        await app.StartAsync().DefaultTimeout();
        return new InProcessServer(app);
    }

    /// <summary>An HTTP client for the push API, with <paramref name="token"/> as bearer token when given.</summary>
    public HttpClient PushClient(string? token = null)
    {
        var client = new HttpClient { BaseAddress = PushUri, Timeout = TimeSpan.FromSeconds(30) };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return client;
    }

    /// <summary>An HTTP client for the Socket.IO listener.</summary>
    public HttpClient SocketIOClient() => new() { BaseAddress = SocketIOUri, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>Stops the host: drains (closing every client) and stops the listeners.</summary>
    public async Task StopAsync() => await _app.StopAsync().DefaultTimeout(TimeSpan.FromSeconds(20));

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try
        {
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await _app.StopAsync(stop.Token);
        }
        finally
        {
            await _app.DisposeAsync();
        }
    }
}
