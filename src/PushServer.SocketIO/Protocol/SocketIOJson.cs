using System.Text.Encodings.Web;
using System.Text.Json;

namespace PushServer.SocketIO.Protocol;

/// <summary>JSON settings shared by the encoder and by argument reads.</summary>
internal static class SocketIOJson
{
    // JSON.stringify leaves non-ASCII text as is; escaping it would only make packets larger.
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>A read-only copy of <paramref name="baseOptions"/> that carries binary values as attachments.</summary>
    public static JsonSerializerOptions CreateSerializerOptions(JsonSerializerOptions? baseOptions)
    {
        var options = baseOptions is null ? new JsonSerializerOptions(JsonSerializerDefaults.Web) : new JsonSerializerOptions(baseOptions);
        options.Converters.Insert(0, new BinaryJsonConverterFactory());
        options.Encoder ??= JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
