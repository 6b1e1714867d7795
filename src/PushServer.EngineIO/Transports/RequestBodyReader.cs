using Microsoft.AspNetCore.Http;

namespace PushServer.EngineIO.Transports;

/// <summary>Reads a request body up to a byte limit, so an oversize POST never costs more memory than the limit.</summary>
internal static class RequestBodyReader
{
    /// <summary>The whole body, or null when it is longer than <paramref name="limit"/> bytes.</summary>
    public static async Task<byte[]?> ReadAsync(HttpContext context, int limit)
    {
        var declared = context.Request.ContentLength;
        if (declared > limit)
        {
            return null;
        }
        if (declared == 0)
        {
            return [];
        }
        var buffer = new byte[declared is { } known ? (int)known : Math.Min(limit + 1, 16 * 1024)];
        var length = 0;
        var body = context.Request.Body;
        while (true)
        {
            if (length == buffer.Length)
            {
                if (length > limit)
                {
                    return null;
                }
                Array.Resize(ref buffer, (int)Math.Min(Math.Max(buffer.Length * 2L, 4096), limit + 1L));
            }
            // No RequestAborted token here: cancelling a pending body read leaves Kestrel's reader "in progress", and its
            // automatic drain then logs an Error for what is only a client that reset mid-body. An aborted connection
            // fails the read by itself.
            var read = await body.ReadAsync(buffer.AsMemory(length), CancellationToken.None).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }
            length += read;
            if (length > limit)
            {
                return null;
            }
        }
        return length == buffer.Length ? buffer : buffer.AsSpan(0, length).ToArray();
    }
}
