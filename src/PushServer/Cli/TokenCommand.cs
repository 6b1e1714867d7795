using System.CommandLine;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using PushServer.Configuration;

namespace PushServer.Cli;

/// <summary>
/// <c>pushserver token create --sub 42 --rooms news --ttl 1h</c>: mints an HS256 client token with the configured
/// <c>Auth:Secret</c> (or <c>--secret</c>), for testing clients against a server that requires one.
/// </summary>
internal static class TokenCommand
{
    public static Command Create()
    {
        var sub = new Option<string>("--sub") { Description = "The user id (sub claim); the socket joins that user's room", Required = true };
        var rooms = new Option<string[]>("--rooms") { Description = "Rooms the socket joins at connect (rooms claim); repeatable", AllowMultipleArgumentsPerToken = true };
        var ttl = new Option<string>("--ttl") { Description = "Lifetime: 30s, 15m, 1h, 7d", DefaultValueFactory = _ => "1h" };
        var secret = new Option<string?>("--secret") { Description = "HS256 secret (default: Auth:Secret from the configuration)" };
        var config = new Option<string?>("--config", "-c") { Description = "Configuration file to read Auth:Secret, Auth:Issuer and Auth:Audience from" };
        var create = new Command("create", "Print a signed client token");
        foreach (var option in new Option[] { sub, rooms, ttl, secret, config })
        {
            create.Options.Add(option);
        }
        create.SetAction(async (parse, _) =>
        {
            var error = parse.InvocationConfiguration.Error;
            if (!TryParseDuration(parse.GetValue(ttl)!, out var lifetime))
            {
                await error.WriteLineAsync("pushserver: --ttl must be a number followed by s, m, h or d, such as 1h").ConfigureAwait(false);
                return (int)ExitCode.Usage;
            }
            AuthSettings auth;
            try
            {
                var loaded = PushServerConfiguration.Load(parse.GetValue(config), ConfigurationOverrides.None);
                auth = loaded.Configuration.GetSection(AuthSettings.Section).Get<AuthSettings>() ?? new AuthSettings();
            }
            catch (ConfigurationFileException ex)
            {
                await error.WriteLineAsync("pushserver: " + ex.Message).ConfigureAwait(false);
                return (int)ExitCode.ConfigInvalid;
            }
            var key = parse.GetValue(secret) ?? auth.Secret;
            if (Encoding.UTF8.GetByteCount(key) < 32)
            {
                await error.WriteLineAsync("pushserver: an HS256 secret of at least 32 bytes is needed (--secret or Auth:Secret)").ConfigureAwait(false);
                return (int)ExitCode.ConfigInvalid;
            }
            var claims = new Dictionary<string, object> { ["sub"] = parse.GetValue(sub)! };
            if (parse.GetValue(rooms) is { Length: > 0 } joined)
            {
                claims["rooms"] = joined;
            }
            var now = DateTime.UtcNow;
            var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
            {
                Claims = claims,
                IssuedAt = now,
                NotBefore = now,
                Expires = now + lifetime,
                Issuer = auth.Issuer.Length > 0 ? auth.Issuer : null,
                Audience = auth.Audience.Length > 0 ? auth.Audience : null,
                SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key)), SecurityAlgorithms.HmacSha256),
            });
            await parse.InvocationConfiguration.Output.WriteLineAsync(token).ConfigureAwait(false);
            return (int)ExitCode.Ok;
        });
        var command = new Command("token", "Client tokens (JWT) for testing");
        command.Subcommands.Add(create);
        return command;
    }

    private static bool TryParseDuration(string text, out TimeSpan duration)
    {
        duration = default;
        if (text.Length < 2 || !double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value <= 0)
        {
            return false;
        }
        duration = text[^1] switch
        {
            's' => TimeSpan.FromSeconds(value),
            'm' => TimeSpan.FromMinutes(value),
            'h' => TimeSpan.FromHours(value),
            'd' => TimeSpan.FromDays(value),
            _ => TimeSpan.Zero,
        };
        return duration > TimeSpan.Zero;
    }
}
