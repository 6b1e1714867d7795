using System.Text.Json;
using System.Text.Json.Serialization;

namespace PushServer.Shared;

/// <summary>
/// The JSON the executable speaks over HTTP: push API answers, webhook bodies, and what the CLI reads back from a
/// running server. One set of serializer options, so each side reads what the other writes.
/// </summary>
internal static class HttpJson
{
    /// <summary>camelCase, nulls left out.</summary>
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
