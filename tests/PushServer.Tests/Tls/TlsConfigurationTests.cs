using PushServer.Cli;

namespace PushServer.Tests.Tls;

/// <summary>
/// <c>--tls-cert</c>/<c>--tls-key</c> (<c>Server:Tls</c>) and <c>PushApi:Tls</c> are checked before the server starts,
/// each problem in one line naming the key.
/// </summary>
public sealed class TlsConfigurationTests : IDisposable
{
    private readonly TestCertificateAuthority _ca = new();
    private readonly TempConfig _config = TempConfig.Write("{}");

    public void Dispose()
    {
        _config.Dispose();
        _ca.Dispose();
    }

    [Fact]
    public async Task A_certificate_and_its_key_pass_the_check()
    {
        var server = _ca.IssueServerCertificate("server");

        var run = await Check("--tls-cert", server.CertificateFile, "--tls-key", server.KeyFile);

        Assert.True(run.ExitCode == 0, run.Error);
    }

    [Fact]
    public async Task An_RSA_certificate_passes_too()
    {
        var server = _ca.IssueServerCertificate("server", rsa: true);

        var run = await Check("--tls-cert", server.CertificateFile, "--tls-key", server.KeyFile);

        Assert.True(run.ExitCode == 0, run.Error);
    }

    [Fact]
    public async Task A_certificate_without_a_key_is_refused_naming_the_missing_key()
    {
        var server = _ca.IssueServerCertificate("server");

        var line = await SingleError("--tls-cert", server.CertificateFile);

        Assert.Contains("Server:Tls:CertificateFile is set but Server:Tls:KeyFile is not", line);
        Assert.Contains("--tls-key", line);
    }

    [Fact]
    public async Task A_key_without_a_certificate_is_refused_naming_the_missing_certificate()
    {
        var server = _ca.IssueServerCertificate("server");

        var line = await SingleError("--tls-key", server.KeyFile);

        Assert.Contains("Server:Tls:KeyFile is set but Server:Tls:CertificateFile is not", line);
    }

    [Fact]
    public async Task A_missing_file_is_named_with_its_key()
    {
        var server = _ca.IssueServerCertificate("server");
        var missing = Path.Combine(_ca.Folder, "nope.crt");

        var line = await SingleError("--tls-cert", missing, "--tls-key", server.KeyFile);

        Assert.StartsWith(Prefix + "Server:Tls:CertificateFile: no file " + missing, line);
    }

    [Fact]
    public async Task An_unreadable_key_file_is_named_with_its_key()
    {
        var server = _ca.IssueServerCertificate("server");
        // A folder where the file should be: unreadable even for root, who reads past file modes.
        var folder = Directory.CreateDirectory(Path.Combine(_ca.Folder, "key-folder")).FullName;

        var line = await SingleError("--tls-cert", server.CertificateFile, "--tls-key", folder);

        Assert.StartsWith(Prefix + "Server:Tls:KeyFile: cannot read " + folder, line);
    }

    [Fact]
    public async Task A_key_of_another_certificate_is_refused()
    {
        var server = _ca.IssueServerCertificate("server");
        var other = _ca.IssueServerCertificate("other");

        var line = await SingleError("--tls-cert", server.CertificateFile, "--tls-key", other.KeyFile);

        Assert.StartsWith(Prefix + $"Server:Tls:KeyFile: the key in {other.KeyFile} does not match the certificate in {server.CertificateFile}", line);
    }

    [Fact]
    public async Task Files_that_are_not_PEM_are_refused()
    {
        var server = _ca.IssueServerCertificate("server");
        var garbage = Path.Combine(_ca.Folder, "garbage.pem");
        await File.WriteAllTextAsync(garbage, "not a certificate\n");

        var certificateLine = await SingleError("--tls-cert", garbage, "--tls-key", server.KeyFile);
        var keyLine = await SingleError("--tls-cert", server.CertificateFile, "--tls-key", garbage);

        Assert.StartsWith(Prefix + $"Server:Tls:CertificateFile: {garbage} holds no PEM certificate", certificateLine);
        Assert.StartsWith(Prefix + $"Server:Tls:KeyFile: {garbage} holds no unencrypted PEM private key", keyLine);
    }

    [Fact]
    public async Task Tls_on_the_push_port_needs_the_certificate()
    {
        using var config = TempConfig.Write("""{ "PushApi": { "Tls": true } }""");

        var run = await CliRun.InvokeAsync("config", "check", "--config", config.Path);

        Assert.Equal((int)ExitCode.ConfigInvalid, run.ExitCode);
        Assert.Contains(run.ErrorLines, l => l.Contains("PushApi:Tls") && l.Contains("Server:Tls:CertificateFile"));
    }

    [Fact]
    public async Task Start_stops_on_a_bad_pair_before_listening()
    {
        var server = _ca.IssueServerCertificate("server");
        var other = _ca.IssueServerCertificate("other");

        var run = await CliRun.InvokeAsync("start", "--config", _config.Path, "--port", "0", "--push-port", "0", "--bind", "127.0.0.1",
            "--tls-cert", server.CertificateFile, "--tls-key", other.KeyFile);

        Assert.Equal((int)ExitCode.ConfigInvalid, run.ExitCode);
        Assert.Contains(run.ErrorLines, l => l.Contains("Server:Tls:KeyFile") && l.Contains("does not match"));
    }

    private const string Prefix = "pushserver: configuration error: ";

    private Task<CliRun> Check(params string[] flags) =>
        CliRun.InvokeAsync(["config", "check", "--config", _config.Path, .. flags]);

    private async Task<string> SingleError(params string[] flags)
    {
        var run = await Check(flags);
        Assert.Equal((int)ExitCode.ConfigInvalid, run.ExitCode);
        return Assert.Single(run.ErrorLines, l => l.Contains("Server:Tls"));
    }
}
