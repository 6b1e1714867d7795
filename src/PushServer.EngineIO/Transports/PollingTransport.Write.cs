using System.Buffers;
using System.IO.Compression;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using PushServer.EngineIO.Protocol;

namespace PushServer.EngineIO.Transports;

internal sealed partial class PollingTransport
{
    private const string TextContentType = "text/plain; charset=UTF-8";
    private const string BinaryContentType = "application/octet-stream";

    /// <summary>Answers the handshake GET with the open packet in the session's payload form.</summary>
    public Task WriteHandshakeAsync(HttpContext context, EnginePacket openPacket) => WritePayloadAsync(context, [openPacket]);

    /// <summary>Writes one poll response: the packets in the session's payload form, compressed when worth it.</summary>
    private async Task WritePayloadAsync(HttpContext context, List<EnginePacket> packets)
    {
        var payload = new ArrayBufferWriter<byte>();
        var contentType = TextContentType;
        if (_jsonpIndex is not null)
        {
            PayloadEncoder.EncodeJsonp(packets, _jsonpIndex, payload);
        }
        else if (_session.Protocol == EngineProtocolVersion.V4)
        {
            PayloadEncoder.EncodeV4(packets, payload);
        }
        else if (PayloadEncoder.NeedsV3BinaryFraming(packets, _session.SupportsBinary))
        {
            PayloadEncoder.EncodeV3Binary(packets, payload);
            contentType = BinaryContentType;
        }
        else
        {
            PayloadEncoder.EncodeV3Text(packets, payload);
        }
        await WriteResponseAsync(context, contentType, payload.WrittenMemory, _session.Options).ConfigureAwait(false);
    }

    /// <summary>Writes a polling response body with the reference's headers; shared with the handshake answer.</summary>
    internal static async Task WriteResponseAsync(HttpContext context, string contentType, ReadOnlyMemory<byte> body, EngineIOOptions options)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = contentType;
        response.Headers.CacheControl = "no-store";
        var userAgent = context.Request.Headers.UserAgent.ToString();
        if (userAgent.Contains(";MSIE", StringComparison.Ordinal) || userAgent.Contains("Trident/", StringComparison.Ordinal))
        {
            // Old IE's XSS filter mangles polling responses.
            response.Headers["X-XSS-Protection"] = "0";
        }

        var encoding = options.HttpCompression && body.Length >= options.HttpCompressionThreshold
            ? ChooseEncoding(context.Request.Headers.AcceptEncoding.ToString())
            : null;
        if (encoding is not null)
        {
            body = Compress(body.Span, encoding);
            response.Headers.ContentEncoding = encoding;
        }
        response.ContentLength = body.Length;
        try
        {
            await response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            // The client left before reading its poll; the session notices through its own deadlines.
        }
    }

    private static string? ChooseEncoding(string acceptEncoding)
    {
        if (acceptEncoding.Contains("gzip", StringComparison.OrdinalIgnoreCase))
        {
            return "gzip";
        }
        return acceptEncoding.Contains("deflate", StringComparison.OrdinalIgnoreCase) ? "deflate" : null;
    }

    private static byte[] Compress(ReadOnlySpan<byte> body, string encoding)
    {
        using var output = new MemoryStream(body.Length / 2 + 64);
        using (Stream compressor = encoding == "gzip"
            ? new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true)
            : new ZLibStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            compressor.Write(body);
        }
        return output.ToArray();
    }
}
