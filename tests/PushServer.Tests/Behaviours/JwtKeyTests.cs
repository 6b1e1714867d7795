using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace PushServer.Tests.Behaviours;

/// <summary>
/// JWT authentication with public keys (RS256, ES256), tokens without exp, algorithm confusion, bad key files, and
/// sockets disconnected when their token expires; real socket.io clients against the in-process server.
/// </summary>
public sealed class JwtKeyTests : ResourceTests
{
    private readonly List<string> _files = [];

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        foreach (var file in _files)
        {
            File.Delete(file);
        }
    }

    private string WriteFile(string text)
    {
        var path = Path.Combine(Path.GetTempPath(), $"pushserver-test-{Guid.NewGuid():N}.pem");
        File.WriteAllText(path, text);
        _files.Add(path);
        return path;
    }

    private async Task<InProcessServer> StartAsync(Dictionary<string, string?> settings)
    {
        settings.TryAdd("Auth:Required", "true");
        return await StartInProcessAsync(settings);
    }

    private async Task<NodeClient> StartClientAsync(InProcessServer server, string token, int version = 4)
    {
        var config = new SocketIOClientConfig(server.SocketIOUrl) { Version = version };
        config = version == 4 ? config with { Auth = new { token } } : config with { Query = new Dictionary<string, string> { ["token"] = token } };
        return await StartClientAsync(config);
    }

    private static string Mint(SigningCredentials credentials, TimeSpan? lifetime = null, bool withExpiry = true)
    {
        var now = DateTime.UtcNow;
        var descriptor = new SecurityTokenDescriptor
        {
            Claims = new Dictionary<string, object> { ["sub"] = "42" },
            SigningCredentials = credentials,
        };
        if (withExpiry)
        {
            descriptor.IssuedAt = now;
            descriptor.NotBefore = now;
            descriptor.Expires = now + (lifetime ?? TimeSpan.FromHours(1));
        }
        // The handler adds a one-hour exp unless told not to.
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = withExpiry }.CreateToken(descriptor);
    }

    private static string AuthConfig(string algorithm, string keyFile) =>
        System.Text.Json.JsonSerializer.Serialize(new { Auth = new { Algorithm = algorithm, PublicKeyFile = keyFile } });

    private static async Task<string> RefusalCodeAsync(NodeClient client)
    {
        var error = await client.WaitForEventAsync("connect_error");
        Assert.DoesNotContain(client.Events, e => e.GetProperty("event").GetString() == "connect");
        return error.GetProperty("data").GetProperty("code").GetString()!;
    }

    private static async Task AssertUserRoomReachedAsync(InProcessServer server, NodeClient client)
    {
        await client.WaitForEventAsync("connect");
        using var push = server.PushClient();
        Assert.Equal("ok", await push.GetStringAsync("?type=publish&to=42&content=for+42"));
        Assert.Equal("for 42", (await client.WaitForServerEventAsync("new_msg")).GetProperty("args")[0].GetString());
    }

    [Theory]
    [InlineData(4)]
    [InlineData(2)]
    public async Task An_RS256_token_is_accepted_with_the_public_key_file(int version)
    {
        using var rsa = RSA.Create(2048);
        var server = await StartAsync(new()
        {
            ["Auth:Algorithm"] = "RS256",
            ["Auth:PublicKeyFile"] = WriteFile(rsa.ExportSubjectPublicKeyInfoPem()),
        });

        var client = await StartClientAsync(server, Mint(new SigningCredentials(new RsaSecurityKey(rsa), SecurityAlgorithms.RsaSha256)), version);

        await AssertUserRoomReachedAsync(server, client);
    }

    [Fact]
    public async Task An_ES256_token_is_accepted_with_the_public_key_file()
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var server = await StartAsync(new()
        {
            ["Auth:Algorithm"] = "ES256",
            ["Auth:PublicKeyFile"] = WriteFile(ecdsa.ExportSubjectPublicKeyInfoPem()),
        });

        var client = await StartClientAsync(server, Mint(new SigningCredentials(new ECDsaSecurityKey(ecdsa), SecurityAlgorithms.EcdsaSha256)));

        await AssertUserRoomReachedAsync(server, client);
    }

    [Fact]
    public async Task An_HS256_token_keyed_with_the_RS256_public_key_is_refused()
    {
        // The classic algorithm confusion: the public key is public, so it must never serve as an HMAC secret.
        using var rsa = RSA.Create(2048);
        var pem = rsa.ExportSubjectPublicKeyInfoPem();
        var server = await StartAsync(new() { ["Auth:Algorithm"] = "RS256", ["Auth:PublicKeyFile"] = WriteFile(pem) });

        var client = await StartClientAsync(server, Mint(new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(pem)), SecurityAlgorithms.HmacSha256)));

        Assert.Contains(await RefusalCodeAsync(client), new[] { "invalid_algorithm", "invalid_signature" });
    }

    [Fact]
    public async Task A_token_without_exp_is_refused_as_such()
    {
        const string secret = "a-test-secret-that-is-long-enough-for-hs256";
        var server = await StartAsync(new() { ["Auth:Secret"] = secret });

        var client = await StartClientAsync(server, Mint(new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(secret)), SecurityAlgorithms.HmacSha256), withExpiry: false));

        Assert.Equal("token_without_expiry", await RefusalCodeAsync(client));
    }

    [Fact]
    public async Task With_disconnect_on_expiry_a_socket_is_disconnected_when_its_token_expires()
    {
        const string secret = "a-test-secret-that-is-long-enough-for-hs256";
        var server = await StartAsync(new()
        {
            ["Auth:Secret"] = secret,
            ["Auth:ClockSkewSeconds"] = "0",
            ["Auth:DisconnectOnExpiry"] = "true",
        });
        var client = await StartClientAsync(server, Mint(new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(secret)), SecurityAlgorithms.HmacSha256), lifetime: TimeSpan.FromSeconds(15)));
        // The token must outlive a connect on a loaded machine, so the expiry comes a while after it.
        await client.WaitForEventAsync("connect");

        var disconnect = await client.WaitForEventAsync("disconnect", timeout: TimeSpan.FromSeconds(60));

        Assert.Equal("io server disconnect", disconnect.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task A_public_key_file_without_a_key_is_a_configuration_error_naming_the_key()
    {
        var file = WriteFile("not a key\n");
        using var config = TempConfig.Write(AuthConfig("RS256", file));

        var run = await CliRun.InvokeAsync("config", "check", "--config", config.Path);

        Assert.Equal(3, run.ExitCode);
        Assert.Contains(run.ErrorLines, l => l.Contains("Auth:PublicKeyFile", StringComparison.Ordinal) && l.Contains("holds no RS256 public key", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_P384_key_for_ES256_is_a_configuration_error()
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var file = WriteFile(ecdsa.ExportSubjectPublicKeyInfoPem());
        using var config = TempConfig.Write(AuthConfig("ES256", file));

        var run = await CliRun.InvokeAsync("config", "check", "--config", config.Path);

        Assert.Equal(3, run.ExitCode);
        Assert.Contains(run.ErrorLines, l => l.Contains("ES256 needs a P-256 key", StringComparison.Ordinal));
    }
}
