using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.DependencyInjection;
using PushServer.Hosting.Tls;

namespace PushServer.Tests.Tls;

/// <summary>
/// The certificate files replaced while the server runs (a Let's Encrypt renewal): new connections get the new
/// certificate, seen from the client side by its serial number; connections already open go on; a pair that does
/// not load leaves the current certificate in place.
/// </summary>
public sealed class TlsCertificateReloadTests : IAsyncLifetime
{
    private readonly TestCertificateAuthority _ca = new();
    private ServerCertificateFiles _first = null!;
    private string _live = null!;
    private InProcessServer _server = null!;

    public Task InitializeAsync()
    {
        _live = Directory.CreateDirectory(Path.Combine(_ca.Folder, "live")).FullName;
        _first = _ca.IssueServerCertificate("first");
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
        _ca.Dispose();
    }

    /// <summary>
    /// Starts the server on live/: with <paramref name="symlinks"/> as certbot lays it out (live/ holds symlinks into
    /// the archive, and a renewal points them at new files), otherwise as plain files.
    /// </summary>
    private async Task StartAsync(bool symlinks)
    {
        if (symlinks)
        {
            Link(_first);
        }
        else
        {
            await File.WriteAllTextAsync(LiveCertificate, _first.CertificatePem);
            await File.WriteAllTextAsync(LiveKey, _first.KeyPem);
        }
        _server = await InProcessServer.StartAsync(new Dictionary<string, string?>
        {
            ["Server:Tls:CertificateFile"] = LiveCertificate,
            ["Server:Tls:KeyFile"] = LiveKey,
        });
    }

    private string LiveCertificate => Path.Combine(_live, "fullchain.pem");

    private string LiveKey => Path.Combine(_live, "privkey.pem");

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task New_connections_get_the_new_certificate_and_open_ones_go_on(bool symlinkSwap)
    {
        await StartAsync(symlinks: symlinkSwap);
        await using var open = await NodeClient.StartSocketIOAsync(new SocketIOClientConfig($"https://127.0.0.1:{_server.SocketIOPort}")
        {
            Transports = ["websocket"],
            Options = new Dictionary<string, object?> { ["ca"] = _ca.CaPem },
        });
        await open.WaitForEventAsync("connect");
        Assert.Equal(_first.Certificate.SerialNumber, (await HandshakeAsync()).SerialNumber);

        var second = _ca.IssueServerCertificate("second");
        var reloaded = NextReload();
        if (symlinkSwap)
        {
            Link(second);
        }
        else
        {
            // Rewritten in place, the key first, as an operator copying files would.
            await File.WriteAllTextAsync(LiveKey, second.KeyPem);
            await File.WriteAllTextAsync(LiveCertificate, second.CertificatePem);
        }
        Assert.Equal(second.Certificate.Thumbprint, (await reloaded.DefaultTimeout(TimeSpan.FromSeconds(30)))?.Certificate.Thumbprint);

        Assert.Equal(second.Certificate.SerialNumber, (await HandshakeAsync()).SerialNumber);
        await PushAsync("after the swap");
        var pushed = await open.WaitForServerEventAsync("chat message");
        Assert.Equal("after the swap", pushed.GetProperty("args")[0].GetString());
        await using var fresh = await NodeClient.StartSocketIOAsync(new SocketIOClientConfig($"https://127.0.0.1:{_server.SocketIOPort}")
        {
            Transports = ["websocket"],
            Options = new Dictionary<string, object?> { ["ca"] = _ca.CaPem },
        });
        await fresh.WaitForEventAsync("connect");
    }

    [Fact]
    public async Task A_pair_that_does_not_load_keeps_the_current_certificate_until_a_good_one_comes()
    {
        await StartAsync(symlinks: false);
        var second = _ca.IssueServerCertificate("second");
        var other = _ca.IssueServerCertificate("other");

        var failed = NextReload();
        await File.WriteAllTextAsync(LiveKey, other.KeyPem);
        await File.WriteAllTextAsync(LiveCertificate, second.CertificatePem);
        Assert.Null(await failed.DefaultTimeout(TimeSpan.FromSeconds(30)));
        Assert.Equal(_first.Certificate.SerialNumber, (await HandshakeAsync()).SerialNumber);

        var fixedUp = NextReload();
        await File.WriteAllTextAsync(LiveKey, second.KeyPem);
        Assert.Equal(second.Certificate.Thumbprint, (await fixedUp.DefaultTimeout(TimeSpan.FromSeconds(30)))?.Certificate.Thumbprint);
        Assert.Equal(second.Certificate.SerialNumber, (await HandshakeAsync()).SerialNumber);
    }

    [Theory]
    [InlineData(SslProtocols.Tls12)]
    [InlineData(SslProtocols.Tls13)]
    public async Task Tls_1_2_and_1_3_are_served(SslProtocols protocol)
    {
        await StartAsync(symlinks: false);
        using var tls = await ConnectAsync(protocol);

        Assert.Equal(protocol, tls.SslProtocol);
        Assert.Equal("http/1.1", tls.NegotiatedApplicationProtocol.ToString());
    }

    [Theory]
#pragma warning disable SYSLIB0039 // The old protocols are what this test offers, to see them refused.
    [InlineData(SslProtocols.Tls)]
    [InlineData(SslProtocols.Tls11)]
#pragma warning restore SYSLIB0039
    public async Task Tls_1_0_and_1_1_are_refused(SslProtocols protocol)
    {
        await StartAsync(symlinks: false);
        var error = await Record.ExceptionAsync(async () => (await ConnectAsync(protocol)).Dispose());

        Assert.True(error is AuthenticationException or IOException, $"expected the handshake to fail, got {error?.ToString() ?? "a TLS connection"}");
        // Where the system's TLS library refuses 1.0 and 1.1 itself (OpenSSL 3 at its default security level does), the
        // handshake fails either way: the server's own setting is what holds on systems that still allow them.
        var offered = _server.Services.GetRequiredService<TlsCertificateSource>().ServerOptions.EnabledSslProtocols;
        Assert.Equal(SslProtocols.Tls12 | SslProtocols.Tls13, offered);
    }

    private Task<LoadedCertificate?> NextReload()
    {
        var source = _server.Services.GetRequiredService<TlsCertificateSource>();
        var next = new TaskCompletionSource<LoadedCertificate?>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnReloaded(LoadedCertificate? loaded)
        {
            source.Reloaded -= OnReloaded;
            next.TrySetResult(loaded);
        }
        source.Reloaded += OnReloaded;
        return next.Task;
    }

    /// <summary>Points live/ at <paramref name="files"/> by replacing each link in one rename, as certbot does.</summary>
    private void Link(ServerCertificateFiles files)
    {
        foreach (var (live, target) in new[] { (LiveCertificate, files.CertificateFile), (LiveKey, files.KeyFile) })
        {
            var temporary = live + ".new";
            File.CreateSymbolicLink(temporary, target);
            File.Move(temporary, live, overwrite: true);
        }
    }

    /// <summary>A TLS handshake from this process, trusting only the test CA; returns the server's certificate.</summary>
    private async Task<X509Certificate2> HandshakeAsync()
    {
        using var tls = await ConnectAsync(SslProtocols.None);
        return new X509Certificate2(tls.RemoteCertificate!);
    }

    private async Task<SslStream> ConnectAsync(SslProtocols protocols)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", _server.SocketIOPort).DefaultTimeout();
        var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false);
        try
        {
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "localhost",
                EnabledSslProtocols = protocols,
                ApplicationProtocols = [SslApplicationProtocol.Http11],
                CertificateChainPolicy = new X509ChainPolicy
                {
                    TrustMode = X509ChainTrustMode.CustomRootTrust,
                    CustomTrustStore = { _ca.Certificate },
                    RevocationMode = X509RevocationMode.NoCheck,
                },
            }).DefaultTimeout();
            return tls;
        }
        catch
        {
            await tls.DisposeAsync();
            tcp.Dispose();
            throw;
        }
    }

    private async Task PushAsync(string message)
    {
        using var push = _server.PushClient();
        Assert.Equal("ok", await push.GetStringAsync("?msg=" + Uri.EscapeDataString(message)));
    }
}
