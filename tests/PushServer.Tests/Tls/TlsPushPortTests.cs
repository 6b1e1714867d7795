using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace PushServer.Tests.Tls;

/// <summary><c>PushApi:Tls</c>: the push port serves https with the Socket.IO port's certificate, and the local verbs follow.</summary>
public sealed class TlsPushPortTests : IAsyncLifetime
{
    private TlsTestServer _tls = null!;

    public async Task InitializeAsync() => _tls = await TlsTestServer.StartAsync(new Dictionary<string, string?> { ["PushApi:Tls"] = "true" });

    public Task DisposeAsync() => _tls.DisposeAsync().AsTask();

    [Fact]
    public async Task A_push_over_https_reaches_a_wss_client()
    {
        await using var client = await NodeClient.StartSocketIOAsync(new SocketIOClientConfig($"https://127.0.0.1:{_tls.Server.SocketIOPort}")
        {
            Transports = ["websocket"],
            Options = new Dictionary<string, object?> { ["ca"] = _tls.Ca.CaPem },
        });
        await client.WaitForEventAsync("connect");
        using var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                CertificateChainPolicy = new X509ChainPolicy
                {
                    TrustMode = X509ChainTrustMode.CustomRootTrust,
                    CustomTrustStore = { _tls.Ca.Certificate },
                    RevocationMode = X509RevocationMode.NoCheck,
                },
            },
        };
        using var push = new HttpClient(handler) { BaseAddress = new Uri($"https://127.0.0.1:{_tls.Server.PushPort}/") };

        Assert.Equal("ok", await push.GetStringAsync("?msg=secure"));

        var pushed = await client.WaitForServerEventAsync("chat message");
        Assert.Equal("secure", pushed.GetProperty("args")[0].GetString());
    }

    [Fact]
    public async Task Plain_http_on_the_push_port_gets_no_answer()
    {
        using var push = _tls.Server.PushClient();

        await Assert.ThrowsAsync<HttpRequestException>(() => push.GetStringAsync("?msg=plain"));
    }

    [Fact]
    public async Task Healthcheck_and_status_find_the_https_push_port_from_the_configuration()
    {
        using var config = TempConfig.Write($$"""
            {
              "Server": { "Tls": { "CertificateFile": "{{_tls.Certificate.CertificateFile}}", "KeyFile": "{{_tls.Certificate.KeyFile}}" } },
              "PushApi": { "Port": {{_tls.Server.PushPort}}, "Tls": true }
            }
            """);

        var health = await CliRun.InvokeAsync("healthcheck", "--config", config.Path);
        var status = await CliRun.InvokeAsync("status", "--config", config.Path);

        Assert.True(health.ExitCode == 0, health.Error);
        Assert.True(status.ExitCode == 0, status.Error);
    }
}
