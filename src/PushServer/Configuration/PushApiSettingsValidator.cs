using Microsoft.Extensions.Options;

namespace PushServer.Configuration;

/// <summary>Checks <see cref="PushApiSettings"/>; each message names the key.</summary>
internal sealed class PushApiSettingsValidator(IOptions<ServerSettings> server) : SettingsValidator<PushApiSettings>
{
    /// <inheritdoc />
    protected override void Check(PushApiSettings options, List<string> errors)
    {
        OptionChecks.Port(errors, "PushApi:Port", options.Port);
        if (OptionChecks.Bind(errors, "PushApi:Bind", options.Bind, out var bind)
            && !bind.IsLoopback && string.IsNullOrEmpty(options.Token))
        {
            errors.Add($"PushApi:Bind is {options.Bind}, not a loopback address, so PushApi:Token must be set " +
                "(--push-token or PUSHSERVER_PushApi__Token): anyone who reaches the push port could push to every client.");
        }
        if (options.Port != 0 && options.Port == server.Value.Port)
        {
            errors.Add($"PushApi:Port must differ from Server:Port (both are {options.Port}).");
        }
        if (options.MaxConnections <= 0)
        {
            errors.Add($"PushApi:MaxConnections must be positive (got {options.MaxConnections}).");
        }
        if (options.Tls && !server.Value.Tls.Enabled)
        {
            errors.Add("PushApi:Tls serves the push port with the Socket.IO port's certificate, so it needs " +
                "Server:Tls:CertificateFile and Server:Tls:KeyFile (--tls-cert, --tls-key) set too.");
        }
        if (options.MaxBodyBytes <= 0)
        {
            errors.Add($"PushApi:MaxBodyBytes must be positive (got {options.MaxBodyBytes}).");
        }
        if (string.IsNullOrWhiteSpace(options.UserRoomPattern) || !options.UserRoomPattern.Contains("{uid}", StringComparison.Ordinal))
        {
            errors.Add($"PushApi:UserRoomPattern must contain {{uid}} (got \"{options.UserRoomPattern}\").");
        }
        if (options.Token.Length > 0 && options.Token.Any(char.IsWhiteSpace))
        {
            errors.Add("PushApi:Token must not contain whitespace.");
        }
        // On every address: with a token the push port answers any Host name, so on loopback too the token is all that
        // stands between it and a page re-pointing its domain at 127.0.0.1, which can send guesses by the thousand.
        if (options.Token.Length is > 0 and < PushApiSettings.MinTokenLength)
        {
            errors.Add($"PushApi:Token must be at least {PushApiSettings.MinTokenLength} characters (got {options.Token.Length}): " +
                "a short one can be found by trying. Set a longer one with --push-token or PUSHSERVER_PushApi__Token " +
                "(`openssl rand -hex 16` makes one).");
        }
    }
}
