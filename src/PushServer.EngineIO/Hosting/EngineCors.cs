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

    public EngineCors(EngineCorsOptions options)
    {
        _origins = new HashSet<string>(options.Origins.Select(o => o.TrimEnd('/')), StringComparer.OrdinalIgnoreCase);
        _anyOrigin = _origins.Contains("*");
        _credentials = options.Credentials;
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
        return IsSameOrigin(origin, host) ? CorsVerdict.SameOrigin : CorsVerdict.Refused;
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

    private static bool IsSameOrigin(string origin, string? host) =>
        host is not null
        && Uri.TryCreate(origin, UriKind.Absolute, out var uri)
        && string.Equals(uri.Authority, host, StringComparison.OrdinalIgnoreCase);
}
