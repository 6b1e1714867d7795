using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using PushServer.Configuration;

namespace PushServer.Behaviours.Auth;

/// <summary>What a checked token says: who, which rooms, until when; or why it was refused.</summary>
internal sealed record TokenCheck(bool Valid, string? Error, string? Subject, IReadOnlyList<string> Rooms, DateTimeOffset? Expires);

/// <summary>Checks client JWTs with the configured key and pinned algorithm; <c>exp</c> is required.</summary>
internal sealed class TokenValidator
{
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };
    private readonly TokenValidationParameters _parameters;

    public TokenValidator(AuthSettings settings, TimeProvider time)
    {
        _parameters = new TokenValidationParameters
        {
            ValidAlgorithms = [settings.Algorithm],
            IssuerSigningKey = CreateKey(settings),
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateLifetime = true,
            ClockSkew = TimeSpan.FromSeconds(settings.ClockSkewSeconds),
            ValidateIssuer = settings.Issuer.Length > 0,
            ValidIssuer = settings.Issuer,
            ValidateAudience = settings.Audience.Length > 0,
            ValidAudience = settings.Audience,
            // Expiry is judged on the server's clock, the one tests can move.
            LifetimeValidator = (notBefore, expires, _, p) =>
            {
                // Replacing the default check also replaces its RequireExpirationTime test: keep it, with its own code.
                if (expires is null)
                {
                    throw new SecurityTokenNoExpirationException("The token has no exp claim.");
                }
                var now = time.GetUtcNow().UtcDateTime;
                return (notBefore is null || notBefore <= now + p.ClockSkew) && expires is not null && expires >= now - p.ClockSkew;
            },
        };
    }

    /// <summary>The signing key for <paramref name="settings"/>; null when none is configured.</summary>
    /// <exception cref="ArgumentException">The PEM file holds no key of the algorithm's kind.</exception>
    /// <exception cref="CryptographicException">The key in the PEM file is malformed.</exception>
    public static SecurityKey? CreateKey(AuthSettings settings)
    {
        if (settings.Algorithm == "HS256")
        {
            return settings.Secret.Length > 0 ? new SymmetricSecurityKey(Encoding.UTF8.GetBytes(settings.Secret)) : null;
        }
        if (settings.PublicKeyFile.Length == 0)
        {
            return null;
        }
        var pem = File.ReadAllText(settings.PublicKeyFile);
        if (settings.Algorithm == "RS256")
        {
            var rsa = RSA.Create();
            rsa.ImportFromPem(pem);
            return new RsaSecurityKey(rsa);
        }
        var ecdsa = ECDsa.Create();
        ecdsa.ImportFromPem(pem);
        // ES256 is ECDSA on P-256 (RFC 7518, section 3.4); another curve would never verify a conforming token.
        if (ecdsa.KeySize != 256)
        {
            throw new ArgumentException($"ES256 needs a P-256 key, not a {ecdsa.KeySize}-bit one.");
        }
        return new ECDsaSecurityKey(ecdsa);
    }

    public async Task<TokenCheck> CheckAsync(string token)
    {
        var result = await _handler.ValidateTokenAsync(token, _parameters).ConfigureAwait(false);
        if (!result.IsValid)
        {
            var error = result.Exception switch
            {
                // Our lifetime check (on the injectable clock) reports any lifetime failure; exp is required, so the
                // token has expired or is not valid yet.
                SecurityTokenExpiredException or SecurityTokenInvalidLifetimeException or SecurityTokenNotYetValidException => "token_expired",
                SecurityTokenNoExpirationException => "token_without_expiry",
                SecurityTokenInvalidSignatureException or SecurityTokenSignatureKeyNotFoundException => "invalid_signature",
                SecurityTokenInvalidAlgorithmException => "invalid_algorithm",
                _ => "invalid_token",
            };
            return new TokenCheck(false, error, null, [], null);
        }
        var identity = result.ClaimsIdentity;
        var subject = identity.FindFirst("sub")?.Value;
        var rooms = identity.FindAll("rooms").SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
        var expires = result.SecurityToken is JsonWebToken jwt ? new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero) : (DateTimeOffset?)null;
        return new TokenCheck(true, null, subject, rooms, expires);
    }
}
