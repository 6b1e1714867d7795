using Microsoft.AspNetCore.Http;

namespace PushServer.EngineIO.Hosting;

/// <summary>What the CORS check made of a request's <c>Origin</c>.</summary>
internal enum CorsVerdict
{
    /// <summary>No Origin header (non-browser clients, same-origin GETs), or the server's own origin.</summary>
    SameOrigin,
    /// <summary>A cross-origin request from an allowed origin; the CORS headers have been added.</summary>
    Allowed,
    /// <summary>A cross-origin request from an origin not on the allow-list.</summary>
    Refused,
    /// <summary>The Origin header holds characters no header may hold.</summary>
    Invalid,
}

/// <summary>Checks <c>Origin</c> against the allow-list and writes the CORS answer headers.</summary>
internal sealed class EngineCors
{
    private readonly HashSet<string> _origins;
    private readonly bool _anyOrigin;
    private readonly bool _credentials;
    private readonly bool _sameHostName;

    public EngineCors(EngineCorsOptions options)
    {
        _origins = new HashSet<string>(options.Origins.Select(o => o.TrimEnd('/')), StringComparer.OrdinalIgnoreCase);
        _anyOrigin = _origins.Contains("*");
        _credentials = options.Credentials;
        _sameHostName = options.AllowSameHostName;
    }

    public CorsVerdict Apply(HttpContext context)
    {
        var origin = context.Request.Headers.Origin.ToString();
        var verdict = Judge(origin, context.Request.Host.Value);
        if (verdict != CorsVerdict.Allowed)
        {
            return verdict;
        }
        var headers = context.Response.Headers;
        if (_anyOrigin && !_credentials)
        {
            headers.AccessControlAllowOrigin = "*";
        }
        else
        {
            headers.AccessControlAllowOrigin = origin;
            headers.Vary = "Origin";
        }
        if (_credentials)
        {
            headers.AccessControlAllowCredentials = "true";
        }
        return CorsVerdict.Allowed;
    }

    /// <summary>The verdict on <paramref name="origin"/> alone, without writing any answer header.</summary>
    public CorsVerdict Judge(string origin, string? host)
    {
        if (origin.Length == 0)
        {
            return CorsVerdict.SameOrigin;
        }
        foreach (var c in origin)
        {
            // The reference's check for characters invalid in a header value.
            if (c != '\t' && (c < 0x20 || c == 0x7F || c > 0xFF))
            {
                return CorsVerdict.Invalid;
            }
        }
        if (_anyOrigin || _origins.Contains(origin))
        {
            return CorsVerdict.Allowed;
        }
        if (host is null || !TryParseOrigin(origin, out var page))
        {
            // "null" (sandboxed frames, file: pages) and anything else that is no http(s) origin lands here.
            return CorsVerdict.Refused;
        }
        if (string.Equals(page.Authority, host, StringComparison.OrdinalIgnoreCase))
        {
            return CorsVerdict.SameOrigin;
        }
        return _sameHostName && IsSameHostName(page, host) ? CorsVerdict.Allowed : CorsVerdict.Refused;
    }

    /// <summary>Answers a preflight like the <c>cors</c> npm middleware the reference uses: 204 and no body.</summary>
    public static void WritePreflight(HttpContext context)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status204NoContent;
        response.Headers.AccessControlAllowMethods = "GET,HEAD,PUT,PATCH,POST,DELETE";
        var requested = context.Request.Headers.AccessControlRequestHeaders;
        if (requested.Count > 0)
        {
            response.Headers.AccessControlAllowHeaders = requested;
            response.Headers.Append("Vary", "Access-Control-Request-Headers");
        }
        response.ContentLength = 0;
    }

    // Browsers send an origin as scheme://host[:port] and nothing else; anything more (a path, user info) is no page.
    private static bool TryParseOrigin(string origin, out Uri page) =>
        Uri.TryCreate(origin, UriKind.Absolute, out page!)
        && page.Scheme is "http" or "https"
        && page.UserInfo.Length == 0
        && page.PathAndQuery == "/"
        && page.Fragment.Length == 0;

    // The request's Host names the server as the page reached it; its port and the page's are left out (the page may
    // come from the website on port 80 or 443, the server listens on its own port). Both sides keep IPv6 brackets.
    private static bool IsSameHostName(Uri page, string host) =>
        new HostString(host).Host is { Length: > 0 } hostName
        && string.Equals(page.Host, hostName, StringComparison.OrdinalIgnoreCase);
}
