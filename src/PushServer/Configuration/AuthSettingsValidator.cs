using System.Security.Cryptography;
using System.Text;

namespace PushServer.Configuration;

/// <summary>Checks the JWT settings, each message naming its key.</summary>
internal sealed class AuthSettingsValidator : SettingsValidator<AuthSettings>
{
    /// <inheritdoc />
    protected override void Check(AuthSettings options, List<string> errors)
    {
        switch (options.Algorithm)
        {
            case "HS256":
                if (options.Secret.Length > 0 && Encoding.UTF8.GetByteCount(options.Secret) < 32)
                {
                    errors.Add("Auth:Secret must be at least 32 bytes for HS256.");
                }
                if (options.PublicKeyFile.Length > 0)
                {
                    errors.Add("Auth:PublicKeyFile is for RS256/ES256; HS256 uses Auth:Secret.");
                }
                break;
            case "RS256" or "ES256":
                if (options.PublicKeyFile.Length > 0 && !File.Exists(options.PublicKeyFile))
                {
                    errors.Add($"Auth:PublicKeyFile '{options.PublicKeyFile}' does not exist.");
                }
                else if (options.PublicKeyFile.Length > 0)
                {
                    // Read the key now, so a wrong file is a configuration error, not a failure while the host builds.
                    try
                    {
                        _ = PushServer.Behaviours.Auth.TokenValidator.CreateKey(options);
                    }
                    catch (Exception ex) when (ex is ArgumentException or CryptographicException or IOException or UnauthorizedAccessException)
                    {
                        errors.Add($"Auth:PublicKeyFile '{options.PublicKeyFile}' holds no {options.Algorithm} public key: {ex.Message}");
                    }
                }
                if (options.Secret.Length > 0)
                {
                    errors.Add($"Auth:Secret is for HS256; {options.Algorithm} uses Auth:PublicKeyFile.");
                }
                break;
            default:
                errors.Add($"Auth:Algorithm must be HS256, RS256 or ES256, not '{options.Algorithm}'.");
                break;
        }
        if (options.Required && !options.IsConfigured())
        {
            errors.Add("Auth:Required needs a key: Auth:Secret (HS256) or Auth:PublicKeyFile (RS256/ES256).");
        }
        if (options.ClockSkewSeconds is < 0 or > 600)
        {
            errors.Add("Auth:ClockSkewSeconds must be between 0 and 600.");
        }
    }
}
