using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using PushServer.Configuration;

namespace PushServer.Hosting.Tls;

/// <summary>
/// Reads the certificate and key files of <see cref="TlsSettings"/> into what a TLS handshake needs, or says what is
/// wrong with them in a message naming the key: at start-up (the validator) and on every reload.
/// </summary>
internal static class TlsCertificateLoader
{
    public const string CertificateKey = "Server:Tls:CertificateFile";
    public const string KeyKey = "Server:Tls:KeyFile";

    /// <summary>The two files' bytes, to tell a change from a touch.</summary>
    internal readonly record struct FileContents(byte[] Certificate, byte[] Key)
    {
        public bool SameAs(FileContents other) =>
            Certificate.AsSpan().SequenceEqual(other.Certificate) && Key.AsSpan().SequenceEqual(other.Key);
    }

    /// <summary>
    /// Checks the pair as the validator does: both or neither set, each readable, a certificate and its key. Adds one
    /// message per problem to <paramref name="errors"/>.
    /// </summary>
    public static void Check(List<string> errors, TlsSettings tls)
    {
        var hasCertificate = !string.IsNullOrEmpty(tls.CertificateFile);
        var hasKey = !string.IsNullOrEmpty(tls.KeyFile);
        if (!hasCertificate && !hasKey)
        {
            return;
        }
        if (hasCertificate != hasKey)
        {
            var (set, missing) = hasCertificate ? (CertificateKey, KeyKey) : (KeyKey, CertificateKey);
            errors.Add($"{set} is set but {missing} is not: TLS needs both the certificate and its private key " +
                "(--tls-cert and --tls-key), or neither for plain HTTP.");
            return;
        }
        if (!TryRead(tls, out var contents, out var problem) || !TryLoad(tls, contents, out var loaded, out problem))
        {
            errors.Add(problem);
            return;
        }
        loaded.Certificate.Dispose();
    }

    /// <summary>Reads both files; false with a message naming the key when one is missing or unreadable.</summary>
    public static bool TryRead(TlsSettings tls, out FileContents contents, out string problem)
    {
        contents = default;
        if (!TryReadFile(CertificateKey, tls.CertificateFile, out var certificate, out problem)
            || !TryReadFile(KeyKey, tls.KeyFile, out var key, out problem))
        {
            return false;
        }
        contents = new FileContents(certificate, key);
        return true;
    }

    /// <summary>
    /// Makes the server certificate of <paramref name="contents"/>: the first certificate of the certificate file with
    /// the key file's key, and the certificates after it as the chain sent to clients. False with a message naming
    /// the key when a file holds no PEM certificate or key, or the key is not the certificate's.
    /// </summary>
    public static bool TryLoad(TlsSettings tls, FileContents contents, out LoadedCertificate loaded, out string problem)
    {
        loaded = null!;
        var chain = new X509Certificate2Collection();
        try
        {
            chain.ImportFromPem(System.Text.Encoding.UTF8.GetString(contents.Certificate));
        }
        catch (CryptographicException ex)
        {
            problem = $"{CertificateKey}: {tls.CertificateFile} is not a PEM certificate file ({ex.Message.TrimEnd('.')}).";
            return false;
        }
        if (chain.Count == 0)
        {
            problem = $"{CertificateKey}: {tls.CertificateFile} holds no PEM certificate (-----BEGIN CERTIFICATE-----).";
            return false;
        }
        var leaf = chain[0];
        var keyText = System.Text.Encoding.UTF8.GetString(contents.Key);
        X509Certificate2 withKey;
        try
        {
            withKey = WithPrivateKey(leaf, keyText);
        }
        catch (ArgumentException ex)
        {
            // ImportFromPem: no key, an encrypted one, or one of another algorithm than the certificate's.
            problem = $"{KeyKey}: {tls.KeyFile} holds no unencrypted PEM private key for the certificate's " +
                $"{leaf.PublicKey.Oid.FriendlyName} key ({ex.Message.TrimEnd('.')}).";
            DisposeAll(chain);
            return false;
        }
        catch (InvalidOperationException)
        {
            // CopyWithPrivateKey: a key, but not the one whose public half the certificate holds.
            problem = $"{KeyKey}: the key in {tls.KeyFile} does not match the certificate in {tls.CertificateFile} " +
                $"({CertificateKey}, subject {leaf.Subject}).";
            DisposeAll(chain);
            return false;
        }
        catch (CryptographicException ex)
        {
            problem = $"{KeyKey}: {tls.KeyFile} cannot be used with the certificate in {tls.CertificateFile} ({ex.Message.TrimEnd('.')}).";
            DisposeAll(chain);
            return false;
        }
        var intermediates = new X509Certificate2Collection();
        for (var i = 1; i < chain.Count; i++)
        {
            intermediates.Add(chain[i]);
        }
        leaf.Dispose();
        // offline: the chain is what the file holds; nothing is fetched from the network to complete it.
        var context = SslStreamCertificateContext.Create(withKey, intermediates, offline: true);
        loaded = new LoadedCertificate(withKey, context, contents);
        problem = "";
        return true;
    }

    private static X509Certificate2 WithPrivateKey(X509Certificate2 certificate, string keyPem)
    {
        if (certificate.GetRSAPublicKey() is { } rsaPublic)
        {
            rsaPublic.Dispose();
            using var rsa = RSA.Create();
            rsa.ImportFromPem(keyPem);
            return Matched(() => certificate.CopyWithPrivateKey(rsa));
        }
        if (certificate.GetECDsaPublicKey() is { } ecPublic)
        {
            ecPublic.Dispose();
            using var ecdsa = ECDsa.Create();
            ecdsa.ImportFromPem(keyPem);
            return Matched(() => certificate.CopyWithPrivateKey(ecdsa));
        }
        throw new ArgumentException($"only RSA and ECDSA certificates are supported, this one has a {certificate.PublicKey.Oid.FriendlyName} key");
    }

    /// <summary>CopyWithPrivateKey says "does not match" with an ArgumentException too: told apart from a bad PEM here.</summary>
    private static X509Certificate2 Matched(Func<X509Certificate2> copy)
    {
        try
        {
            return copy();
        }
        catch (ArgumentException ex)
        {
            throw new InvalidOperationException(ex.Message, ex);
        }
    }

    private static bool TryReadFile(string key, string path, out byte[] bytes, out string problem)
    {
        bytes = [];
        problem = "";
        try
        {
            bytes = File.ReadAllBytes(path);
            return true;
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            problem = $"{key}: no file {path}.";
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            problem = $"{key}: cannot read {path} ({ex.Message.TrimEnd('.')}).";
        }
        return false;
    }

    private static void DisposeAll(X509Certificate2Collection certificates)
    {
        foreach (var certificate in certificates)
        {
            certificate.Dispose();
        }
    }
}

/// <summary>A server certificate with its key and chain, and the file contents it came from.</summary>
internal sealed record LoadedCertificate(X509Certificate2 Certificate, SslStreamCertificateContext Context, TlsCertificateLoader.FileContents Contents);
