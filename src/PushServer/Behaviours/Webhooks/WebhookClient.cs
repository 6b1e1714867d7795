using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using PushServer.Configuration;
using PushServer.Shared;

namespace PushServer.Behaviours.Webhooks;

/// <summary>POSTs signed JSON bodies to the backend.</summary>
internal sealed class WebhookClient : IDisposable
{
    /// <summary>
    /// Connections open to the backend at most; further requests wait for one (within their timeout). Without a
    /// bound, client events relayed to a slow backend would open a connection each, and those descriptors are part
    /// of what <see cref="Hosting.ConnectionCapacity.Reserve"/> keeps away from client connections.
    /// </summary>
    public const int MaxConnections = 64;

    private readonly HttpClient _http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2), MaxConnectionsPerServer = MaxConnections })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };
    private readonly WebhookSettings _settings;
    private readonly byte[] _key;

    public WebhookClient(WebhookSettings settings)
    {
        _settings = settings;
        _key = Encoding.UTF8.GetBytes(settings.Secret);
    }

    /// <summary>Sends <paramref name="payload"/>; the answer's body when it is a 2xx, else an exception.</summary>
    public async Task<string> PostAsync(object payload, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(payload, HttpJson.Options);
        using var request = new HttpRequestMessage(HttpMethod.Post, _settings.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        if (_key.Length > 0)
        {
            request.Headers.Add("X-PushServer-Signature", "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(_key, body)));
        }
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        using var response = await _http.SendAsync(request, cts.Token).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cts.Token).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"the backend answered {(int)response.StatusCode}", null, response.StatusCode);
        }
        return text;
    }

    public void Dispose() => _http.Dispose();
}
