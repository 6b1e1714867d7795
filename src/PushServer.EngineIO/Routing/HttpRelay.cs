using System.Net;
using Microsoft.AspNetCore.Http;

namespace PushServer.EngineIO.Routing;

/// <summary>
/// Relays one polling request (GET or POST) to the node holding its session and copies the answer back, streaming
/// both bodies: a long-poll GET waits on the owner exactly as it would if the client had reached it directly.
/// </summary>
internal sealed class HttpRelay : IDisposable
{
    // Headers of one hop only, never copied between the client's request and the owner's, in either direction.
    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Proxy-Connection", "Proxy-Authenticate", "Proxy-Authorization", "TE", "Trailer",
        "Transfer-Encoding", "Upgrade", "Host",
    };

    private readonly HttpMessageInvoker _client;

    public HttpRelay(TimeSpan connectTimeout)
    {
        _client = new HttpMessageInvoker(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            ConnectTimeout = connectTimeout,
            // A long-poll holds its connection up to pingInterval + pingTimeout; idle ones are recycled sooner.
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(60),
        });
    }

    /// <summary>
    /// Sends the request to <paramref name="owner"/>; false when the owner could not be reached (nothing written to the
    /// client then), true once its answer, whatever its status, has been copied to the client.
    /// </summary>
    public async Task<bool> RelayAsync(HttpContext context, Uri owner, string routedBy)
    {
        var request = context.Request;
        using var outgoing = new HttpRequestMessage(new HttpMethod(request.Method), new Uri(owner, request.PathBase + request.Path + request.QueryString));
        if (request.ContentLength is > 0 || request.Headers.TransferEncoding.Count > 0)
        {
            outgoing.Content = new StreamContent(request.Body);
        }
        foreach (var header in request.Headers)
        {
            if (HopByHop.Contains(header.Key))
            {
                continue;
            }
            if (!outgoing.Headers.TryAddWithoutValidation(header.Key, (IEnumerable<string?>)header.Value))
            {
                outgoing.Content?.Headers.TryAddWithoutValidation(header.Key, (IEnumerable<string?>)header.Value);
            }
        }
        // The owner judges the origin against the host the client asked for, as this node did.
        outgoing.Headers.Host = request.Host.Value;
        outgoing.Headers.TryAddWithoutValidation(ClusterSessionRouter.RoutedHeader, routedBy);
        outgoing.Headers.TryAddWithoutValidation("X-Forwarded-For", context.Connection.RemoteIpAddress?.ToString());

        // HttpMessageInvoker never buffers the answer: a long-poll streams back as the owner writes it.
        HttpResponseMessage answer;
        try
        {
            answer = await _client.SendAsync(outgoing, context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException || ex is OperationCanceledException && !context.RequestAborted.IsCancellationRequested)
        {
            // Refused, reset or not answering within the connect timeout: nothing was written to the client yet.
            return false;
        }
        using (answer)
        {
            var response = context.Response;
            response.StatusCode = (int)answer.StatusCode;
            CopyHeaders(answer.Headers, response);
            CopyHeaders(answer.Content.Headers, response);
            try
            {
                await answer.Content.CopyToAsync(response.Body, context.RequestAborted).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException && !context.RequestAborted.IsCancellationRequested)
            {
                // The owner went away mid-answer: the status is out already, so the client's request is cut, as the
                // owner's own connection would have been; the client then polls again and learns the session is gone.
                context.Abort();
            }
        }
        return true;
    }

    private static void CopyHeaders(System.Net.Http.Headers.HttpHeaders from, HttpResponse to)
    {
        foreach (var header in from)
        {
            if (!HopByHop.Contains(header.Key))
            {
                // Set, not appended: this node may have written CORS headers of its own already.
                to.Headers[header.Key] = header.Value.ToArray();
            }
        }
    }

    public void Dispose() => _client.Dispose();
}
