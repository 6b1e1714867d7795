using System.Reflection;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace PushServer.Hosting;

/// <summary>Files embedded in the executable at build time (client bundles, demo page, Admin UI), read once and served.</summary>
internal static class EmbeddedFiles
{
    /// <summary>The bytes of <paramref name="resource"/>; throws naming the build step when it was not embedded.</summary>
    public static byte[] Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Embedded file {resource} is missing: the build installs it from src/PushServer/ClientLibrary (npm ci into obj/ClientLibrary).");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>Answers a GET (or HEAD, headers only) with <paramref name="content"/>, never content-sniffed by the browser.</summary>
    public static Task WriteAsync(HttpContext context, string contentType, string cacheControl, byte[] content)
    {
        var response = context.Response;
        response.ContentType = contentType;
        response.ContentLength = content.Length;
        response.Headers.CacheControl = cacheControl;
        response.Headers[HeaderNames.XContentTypeOptions] = "nosniff";
        return HttpMethods.IsHead(context.Request.Method) ? Task.CompletedTask : response.Body.WriteAsync(content).AsTask();
    }
}
