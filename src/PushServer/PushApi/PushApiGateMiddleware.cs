using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using PushServer.Configuration;
using PushServer.Hosting;

namespace PushServer.PushApi;

/// <summary>
/// Guards the push listener, after routing: without a token only loopback Host names are answered, unknown paths get
/// a JSON 404, the bearer token is checked when one is configured (health probes and the Admin UI's page are exempt), requests a browser sent
/// from another site are refused, and while draining everything but health and metrics gets 503.
/// </summary>
internal sealed class PushApiGateMiddleware
{
    private readonly RequestDelegate _next;
    private readonly DrainState _drain;
    private readonly byte[]? _tokenHash;

    /// <summary>Creates the gate; the token is kept only as its SHA-256 hash.</summary>
    public PushApiGateMiddleware(RequestDelegate next, DrainState drain, IOptions<PushApiSettings> options)
    {
        _next = next;
        _drain = drain;
        var token = options.Value.Token;
        _tokenHash = token.Length == 0 ? null : SHA256.HashData(Encoding.UTF8.GetBytes(token));
    }

    /// <summary>Applies the checks, in order: host name, not found, token, cross-site, draining.</summary>
    public Task InvokeAsync(HttpContext context)
    {
        if (ListenerTag.Of(context) != ListenerRole.Push)
        {
            return _next(context);
        }
        // Without a token the port is bound to loopback (start-up refuses anything else), so every honest caller is on
        // this machine and can name it; with a token, the token decides and any name (a proxy's, say) is fine.
        if (_tokenHash is null && !LoopbackHostName.Matches(context.Request.Host))
        {
            return PushApiHandler.WriteErrorAsync(context, PushErrorCode.HostNotAllowed,
                "Without PushApi:Token the push port answers only requests addressed to 127.0.0.1, [::1] or localhost; " +
                "call it by one of those names, or set PushApi:Token (--push-token) to call it by another.");
        }
        if (context.GetEndpoint() is null)
        {
            return PushApiHandler.WriteErrorAsync(context, PushErrorCode.NotFound, $"No push endpoint at {context.Request.Path}.");
        }
        var path = context.Request.Path;
        var isHealth = path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase);
        if (!isHealth && !IsAdminUiPage(context.Request) && !IsAuthorized(context.Request))
        {
            return PushApiHandler.WriteErrorAsync(context, PushErrorCode.Unauthorized,
                "A valid bearer token is required (Authorization: Bearer TOKEN).");
        }
        if (!isHealth && IsCrossSite(context.Request))
        {
            return PushApiHandler.WriteErrorAsync(context, PushErrorCode.CrossSiteRequest,
                "Requests from web pages are refused; push from a backend.");
        }
        if (_drain.IsDraining && !isHealth && !path.StartsWithSegments("/metrics", StringComparison.OrdinalIgnoreCase))
        {
            return PushApiHandler.WriteErrorAsync(context, PushErrorCode.ShuttingDown, "The server is shutting down.");
        }
        return _next(context);
    }

    /// <summary>
    /// Whether a browser sent this from another site's page: a CSRF form post or fetch to the push port, which on
    /// 127.0.0.1 without a token would otherwise push as the backend. Browsers mark such requests with
    /// <c>Sec-Fetch-Site</c> and, for POST, <c>Origin</c>; backends (curl, PHP, any HTTP library) send neither.
    /// </summary>
    private static bool IsCrossSite(HttpRequest request)
    {
        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site.Length > 0)
        {
            return site is not ("same-origin" or "none");
        }
        var origin = request.Headers.Origin.ToString();
        return origin.Length > 0
            && !(Uri.TryCreate(origin, UriKind.Absolute, out var uri) && string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>
    /// The Admin UI's page and files (mapped only when it is enabled) need no push token: a browser opening them sends no
    /// Authorization header, and they hold nothing to guard. They are the same public files as the npm package's, and
    /// what the UI shows comes over the admin namespace on the Socket.IO port, behind the <c>AdminUi</c> login, as
    /// with socket.io's hosted UI.
    /// </summary>
    private static bool IsAdminUiPage(HttpRequest request) =>
        (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
        && request.Path.StartsWithSegments(AdminUiPageEndpoints.PathBase, StringComparison.OrdinalIgnoreCase);

    private bool IsAuthorized(HttpRequest request)
    {
        if (_tokenHash is null)
        {
            return true;
        }
        var header = request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        // Hashing first makes the comparison constant-time in the token's length too.
        var given = SHA256.HashData(Encoding.UTF8.GetBytes(header[scheme.Length..].Trim()));
        return CryptographicOperations.FixedTimeEquals(given, _tokenHash);
    }
}
