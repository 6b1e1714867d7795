using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace PushServer.Testing;

/// <summary>
/// A throwaway certificate authority made for one test, and server certificates for <c>127.0.0.1</c> and
/// <c>localhost</c> signed by it, written as PEM files to a temporary folder that disposing removes. Clients trust the
/// CA (<see cref="CaFile"/>, <see cref="CaPem"/>) rather than the system's store, so nothing on the machine changes.
/// </summary>
/// <example>
/// <code>
/// using var ca = new TestCertificateAuthority();
/// var server = ca.IssueServerCertificate("server");   // server.crt, server.key in ca.Folder
/// </code>
/// </example>
public sealed class TestCertificateAuthority : IDisposable
{
    private readonly ECDsa _caKey;
    private long _nextSerial = 1000;

    public TestCertificateAuthority()
    {
        Folder = Path.Combine(Path.GetTempPath(), "pushserver-tls-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
        // ECDSA P-256: as strong as RSA 3072 and made in a millisecond.
        _caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=PushServer Test CA " + Guid.NewGuid().ToString("N")[..8], _caKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        Certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        CaPem = Certificate.ExportCertificatePem() + "\n";
        CaFile = Path.Combine(Folder, "ca.crt");
        File.WriteAllText(CaFile, CaPem);
    }

    /// <summary>Where the PEM files are.</summary>
    public string Folder { get; }

    /// <summary>The CA certificate (public part).</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The CA certificate as PEM, e.g. for a Node client's <c>ca</c> option.</summary>
    public string CaPem { get; }

    /// <summary>The CA certificate's PEM file.</summary>
    public string CaFile { get; }

    /// <summary>
    /// Issues a server certificate for 127.0.0.1, ::1 and localhost and writes <c>NAME.crt</c> (the certificate, then
    /// the CA, as a full chain file) and <c>NAME.key</c> (PKCS#8) to <see cref="Folder"/>.
    /// </summary>
    public ServerCertificateFiles IssueServerCertificate(string name, bool rsa = false)
    {
        using var key = rsa ? (AsymmetricAlgorithm)RSA.Create(2048) : ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = key is RSA r
            ? new CertificateRequest("CN=localhost", r, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            : new CertificateRequest("CN=localhost", (ECDsa)key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, true, false));
        var serial = BitConverter.GetBytes(Interlocked.Increment(ref _nextSerial));
        Array.Reverse(serial);
        // Valid for 90 days, as Let's Encrypt's; notBefore in the past so clock skew never matters.
        var certificate = request.Create(Certificate.SubjectName, X509SignatureGenerator.CreateForECDsa(_caKey),
            DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(90), serial);
        var keyPem = key is RSA rsaKey ? rsaKey.ExportPkcs8PrivateKeyPem() : ((ECDsa)key).ExportPkcs8PrivateKeyPem();
        var files = new ServerCertificateFiles(
            Path.Combine(Folder, name + ".crt"),
            Path.Combine(Folder, name + ".key"),
            certificate.ExportCertificatePem() + "\n" + CaPem,
            keyPem + "\n",
            certificate);
        File.WriteAllText(files.CertificateFile, files.CertificatePem);
        File.WriteAllText(files.KeyFile, files.KeyPem);
        return files;
    }

    public void Dispose()
    {
        _caKey.Dispose();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temporary folder left behind harms nothing.
        }
    }
}

/// <summary>A server certificate's PEM files and texts, and the certificate itself (serial, thumbprint, SPKI).</summary>
public sealed record ServerCertificateFiles(string CertificateFile, string KeyFile, string CertificatePem, string KeyPem, X509Certificate2 Certificate)
{
    /// <summary>
    /// Base64 of the SHA-256 of the certificate's SubjectPublicKeyInfo: what Chromium's
    /// <c>--ignore-certificate-errors-spki-list</c> takes to trust this one certificate.
    /// </summary>
    public string SpkiSha256 => Convert.ToBase64String(SHA256.HashData(Certificate.PublicKey.ExportSubjectPublicKeyInfo()));
}
