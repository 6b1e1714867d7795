namespace PushServer.Configuration;

/// <summary>
/// TLS on the Socket.IO port (configuration section <c>Server:Tls</c>), and on the push port with
/// <see cref="PushApiSettings.Tls"/>: a certificate and its private key as PEM files, as Let's Encrypt's certbot writes
/// them (<c>fullchain.pem</c>, <c>privkey.pem</c>). Both empty serves plain HTTP. The files are read again when they
/// change, so a renewed certificate is served without a restart.
/// </summary>
internal sealed class TlsSettings
{
    /// <summary>The certificate, PEM; the server's first, then any intermediates sent along with it.</summary>
    public string CertificateFile { get; set; } = "";

    /// <summary>The certificate's private key, PEM (PKCS#8, PKCS#1 or SEC1, unencrypted).</summary>
    public string KeyFile { get; set; } = "";

    /// <summary>Whether TLS is configured (both files named; the validator refuses one without the other).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool Enabled => CertificateFile.Length > 0 && KeyFile.Length > 0;
}
