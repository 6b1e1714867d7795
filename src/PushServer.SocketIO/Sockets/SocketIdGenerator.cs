using System.Security.Cryptography;

namespace PushServer.SocketIO;

/// <summary>Socket ids as socket.io's <c>base64id</c>: 15 random bytes, URL-safe base64, 20 characters.</summary>
internal static class SocketIdGenerator
{
    public static string NewId()
    {
        Span<byte> bytes = stackalloc byte[15];
        RandomNumberGenerator.Fill(bytes);
        return Convert.ToBase64String(bytes).Replace('/', '_').Replace('+', '-');
    }
}
