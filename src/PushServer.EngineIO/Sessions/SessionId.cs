using System.Security.Cryptography;

namespace PushServer.EngineIO.Sessions;

/// <summary>Unguessable ids in the reference's shape: 15 random bytes as 20 URL-safe base64 characters.</summary>
public static class SessionId
{
    /// <summary>A new random id.</summary>
    public static string New()
    {
        Span<byte> bytes = stackalloc byte[15];
        RandomNumberGenerator.Fill(bytes);
        return Convert.ToBase64String(bytes).Replace('+', '-').Replace('/', '_');
    }
}
