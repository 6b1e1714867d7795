namespace PushServer.Configuration;

/// <summary>
/// Client authentication with a JWT (section <c>Auth</c>): the token comes in the CONNECT auth payload
/// (<c>io(url, { auth: { token } })</c>) or, for socket.io 1.x/2.x clients, the <c>token</c> query parameter.
/// </summary>
internal sealed class AuthSettings
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Auth";

    /// <summary>Whether a connection without a valid token is refused. When false, a token is still checked if sent.</summary>
    public bool Required { get; set; }

    /// <summary>The one signing algorithm accepted: <c>HS256</c>, <c>RS256</c> or <c>ES256</c> (pinned, so <c>none</c> and others fail).</summary>
    public string Algorithm { get; set; } = "HS256";

    /// <summary>The HS256 shared secret, at least 32 bytes. Masked by <c>config print</c>.</summary>
    public string Secret { get; set; } = "";

    /// <summary>The RS256/ES256 public key, as a PEM file path.</summary>
    public string PublicKeyFile { get; set; } = "";

    /// <summary>The required <c>iss</c>; empty accepts any.</summary>
    public string Issuer { get; set; } = "";

    /// <summary>The required <c>aud</c>; empty accepts any.</summary>
    public string Audience { get; set; } = "";

    /// <summary>Leeway for clocks that disagree a little, in seconds.</summary>
    public int ClockSkewSeconds { get; set; } = 30;

    /// <summary>Whether a socket is disconnected when its token expires.</summary>
    public bool DisconnectOnExpiry { get; set; }

    /// <summary>True when tokens can be checked at all.</summary>
    public bool IsConfigured() => Secret.Length > 0 || PublicKeyFile.Length > 0;
}
