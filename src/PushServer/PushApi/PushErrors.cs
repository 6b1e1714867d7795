using Microsoft.AspNetCore.Http;

namespace PushServer.PushApi;

/// <summary>The one place where <see cref="PushErrorCode"/> meets the wire.</summary>
internal static class PushErrors
{
    /// <summary>The HTTP status of <paramref name="code"/>.</summary>
    public static int StatusOf(PushErrorCode code) => code switch
    {
        PushErrorCode.InvalidRequest or PushErrorCode.MissingParameter or PushErrorCode.InvalidJson or PushErrorCode.ReservedEvent
            => StatusCodes.Status400BadRequest,
        PushErrorCode.Unauthorized => StatusCodes.Status401Unauthorized,
        PushErrorCode.CrossSiteRequest or PushErrorCode.HostNotAllowed => StatusCodes.Status403Forbidden,
        PushErrorCode.UnknownNamespace or PushErrorCode.NotFound => StatusCodes.Status404NotFound,
        PushErrorCode.MethodNotAllowed => StatusCodes.Status405MethodNotAllowed,
        PushErrorCode.PayloadTooLarge or PushErrorCode.PacketTooLarge => StatusCodes.Status413PayloadTooLarge,
        PushErrorCode.UnsupportedMediaType => StatusCodes.Status415UnsupportedMediaType,
        PushErrorCode.ShuttingDown => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status500InternalServerError,
    };

    /// <summary>The <c>code</c> string of the JSON error body.</summary>
    public static string WireCode(PushErrorCode code) => code switch
    {
        PushErrorCode.InvalidRequest => "invalid_request",
        PushErrorCode.MissingParameter => "missing_parameter",
        PushErrorCode.InvalidJson => "invalid_json",
        PushErrorCode.ReservedEvent => "reserved_event",
        PushErrorCode.UnknownNamespace => "unknown_namespace",
        PushErrorCode.Unauthorized => "unauthorized",
        PushErrorCode.CrossSiteRequest => "cross_site_request",
        PushErrorCode.HostNotAllowed => "host_not_allowed",
        PushErrorCode.NotFound => "not_found",
        PushErrorCode.MethodNotAllowed => "method_not_allowed",
        PushErrorCode.UnsupportedMediaType => "unsupported_media_type",
        PushErrorCode.PayloadTooLarge => "payload_too_large",
        PushErrorCode.PacketTooLarge => "packet_too_large",
        PushErrorCode.ShuttingDown => "shutting_down",
        _ => "internal_error",
    };
}

/// <summary>A push request that cannot be carried out; answered with <see cref="PushErrors"/>' status and code.</summary>
/// <param name="code">The classification.</param>
/// <param name="message">What was wrong, for the caller; never contains the token or the body.</param>
internal sealed class PushApiException(PushErrorCode code, string message) : Exception(message)
{
    /// <summary>The classification.</summary>
    public PushErrorCode Code { get; } = code;
}
