namespace PushServer.Tests.Tls;

/// <summary>
/// A server whose Socket.IO port serves TLS with a certificate from a CA made for the test, so clients trust that CA
/// only. Disposing it stops the server, then drops the CA's files.
/// </summary>
internal sealed class TlsTestServer : IAsyncDisposable
{
    private TlsTestServer(TestCertificateAuthority ca, ServerCertificateFiles certificate, InProcessServer server)
    {
        Ca = ca;
        Certificate = certificate;
        Server = server;
    }

    public TestCertificateAuthority Ca { get; }

    public ServerCertificateFiles Certificate { get; }

    public InProcessServer Server { get; }

    /// <summary>Starts the server; <paramref name="settings"/> add to the TLS keys (e.g. <c>PushApi:Tls</c>).</summary>
    public static async Task<TlsTestServer> StartAsync(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var ca = new TestCertificateAuthority();
        var certificate = ca.IssueServerCertificate("server");
        var values = new Dictionary<string, string?>
        {
            ["Server:Tls:CertificateFile"] = certificate.CertificateFile,
            ["Server:Tls:KeyFile"] = certificate.KeyFile,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }
        try
        {
            return new TlsTestServer(ca, certificate, await InProcessServer.StartAsync(values));
        }
        catch
        {
            ca.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        Ca.Dispose();
    }
}
