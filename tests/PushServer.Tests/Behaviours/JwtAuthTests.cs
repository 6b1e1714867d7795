using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace PushServer.Tests.Behaviours;

/// <summary>JWT authentication at connect, with real socket.io clients against the in-process server.</summary>
public sealed class JwtAuthTests : ResourceTests
{
    // Long enough for HS384 too, so a token can be signed with the right key but the wrong algorithm.
    private const string Secret = "a-test-secret-that-is-long-enough-for-hs256-and-for-hs384-as-well";
    private InProcessServer _server = null!;

    public override async Task InitializeAsync() => _server = await StartInProcessAsync(new()
    {
        ["Auth:Required"] = "true",
        ["Auth:Secret"] = Secret,
    });

    private static string Mint(string secret = Secret, string algorithm = SecurityAlgorithms.HmacSha256, TimeSpan? lifetime = null,
        string sub = "42", string[]? rooms = null)
    {
        var now = DateTime.UtcNow;
        var life = lifetime ?? TimeSpan.FromHours(1);
        var claims = new Dictionary<string, object> { ["sub"] = sub };
        if (rooms is not null)
        {
            claims["rooms"] = rooms;
        }
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Claims = claims,
            IssuedAt = now + life - TimeSpan.FromHours(2),
            NotBefore = now + life - TimeSpan.FromHours(2),
            Expires = now + life,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(secret)), algorithm),
        });
    }

    private async Task<NodeClient> StartClientAsync(string? token, int version = 4)
    {
        var config = new SocketIOClientConfig($"http://127.0.0.1:{_server.SocketIOPort}") { Version = version };
        if (token is not null)
        {
            config = version == 4 ? config with { Auth = new { token } } : config with { Query = new Dictionary<string, string> { ["token"] = token } };
        }
        return await StartClientAsync(config);
    }

    private async Task<string> RefusalCodeAsync(string? token)
    {
        var client = await StartClientAsync(token);
        var error = await client.WaitForEventAsync("connect_error");
        Assert.Equal("Unauthorized", error.GetProperty("message").GetString());
        Assert.DoesNotContain(client.Events, e => e.GetProperty("event").GetString() == "connect");
        return error.GetProperty("data").GetProperty("code").GetString()!;
    }

    [Theory]
    [InlineData(4)]
    [InlineData(2)]
    public async Task A_valid_token_joins_the_user_room_and_the_rooms_claim(int version)
    {
        var client = await StartClientAsync(Mint(rooms: ["news"]), version);
        await client.WaitForEventAsync("connect");
        using var push = _server.PushClient();

        Assert.Equal("ok", await push.GetStringAsync("?type=publish&to=42&content=for+you"));
        Assert.Equal("for you", (await client.WaitForServerEventAsync("new_msg")).GetProperty("args")[0].GetString());

        var response = await push.PostAsync("api/emit", new StringContent(
            """{"event":"headline","args":["extra"],"rooms":["news"]}""", Encoding.UTF8, "application/json"));
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(1, body.RootElement.GetProperty("recipients").GetInt32());
        Assert.Equal("extra", (await client.WaitForServerEventAsync("headline")).GetProperty("args")[0].GetString());
    }

    [Fact]
    public async Task A_missing_token_is_refused_when_auth_is_required() =>
        Assert.Equal("missing_token", await RefusalCodeAsync(null));

    [Fact]
    public async Task An_expired_token_is_refused() =>
        Assert.Equal("token_expired", await RefusalCodeAsync(Mint(lifetime: TimeSpan.FromMinutes(-5))));

    [Fact]
    public async Task A_token_signed_with_another_secret_is_refused() =>
        Assert.Equal("invalid_signature", await RefusalCodeAsync(Mint(secret: "another-secret-that-is-long-enough-for-hs256")));

    [Fact]
    public async Task A_token_signed_with_another_algorithm_is_refused() =>
        // The pinned algorithm leaves no key able to check an HS384 signature.
        Assert.Equal("invalid_signature", await RefusalCodeAsync(Mint(algorithm: SecurityAlgorithms.HmacSha384)));

    [Fact]
    public async Task An_unsigned_alg_none_token_is_refused()
    {
        static string Part(string json) => Base64UrlEncoder.Encode(json);
        var exp = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds();
        var unsigned = Part("""{"alg":"none","typ":"JWT"}""") + "." + Part($$"""{"sub":"42","exp":{{exp}}}""") + ".";

        Assert.Equal("invalid_signature", await RefusalCodeAsync(unsigned));
    }

    [Fact]
    public async Task The_token_create_verb_mints_a_token_the_server_accepts()
    {
        var run = await CliRun.InvokeAsync("token", "create", "--sub", "7", "--rooms", "vip", "--ttl", "10m", "--secret", Secret);
        Assert.Equal(0, run.ExitCode);

        var client = await StartClientAsync(run.Output.Trim());
        await client.WaitForEventAsync("connect");
        using var push = _server.PushClient();
        Assert.Equal("ok", await push.GetStringAsync("?type=publish&to=7&content=minted"));
        Assert.Equal("minted", (await client.WaitForServerEventAsync("new_msg")).GetProperty("args")[0].GetString());
    }
}
