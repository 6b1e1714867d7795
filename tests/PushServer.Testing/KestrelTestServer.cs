using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace PushServer.Testing;

/// <summary>
/// A real Kestrel server on 127.0.0.1 with a port chosen by the OS, for wire tests. Disposing it stops the
/// host and every connection it holds, also when the test failed.
/// </summary>
public sealed class KestrelTestServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private KestrelTestServer(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    /// <summary><c>http://127.0.0.1:PORT/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The host's services.</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>Where a WebSocket client connects: <c>ws://127.0.0.1:PORT/</c> + <paramref name="pathAndQuery"/>.</summary>
    public Uri WebSocketUri(string pathAndQuery) => new(new Uri($"ws://{BaseAddress.Authority}/"), pathAndQuery);

    /// <summary>Starts a server whose services and endpoints the test configures.</summary>
    public static async Task<KestrelTestServer> StartAsync(Action<IServiceCollection>? services, Action<WebApplication> configure)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(TestLog.Provider);
        builder.Logging.SetMinimumLevel(LogLevel.Debug);
        services?.Invoke(builder.Services);
        var app = builder.Build();
        configure(app);
        await app.StartAsync().ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new KestrelTestServer(app, new Uri(address.EndsWith('/') ? address : address + "/"));
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _app.StopAsync(stop.Token).ConfigureAwait(false);
        }
        finally
        {
            await _app.DisposeAsync().ConfigureAwait(false);
        }
    }
}
