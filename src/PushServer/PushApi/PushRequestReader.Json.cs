using System.Buffers;
using System.Text.Json;
using System.Text.Unicode;
using Microsoft.AspNetCore.Http;
using PushServer.Configuration;
using PushServer.SocketIO.Protocol;

namespace PushServer.PushApi;

internal static partial class PushRequestReader
{
    /// <summary>
    /// Reads <c>POST /api/emit</c>: <c>{"event", "args" | "data", "namespace", "rooms", "except", "socketId", "volatile",
    /// "ackTimeoutMs"}</c>.
    /// </summary>
    public static async Task<PushRequest> ReadEmitAsync(HttpContext context, PushApiSettings options)
    {
        using var document = await ReadJsonAsync(context, options).ConfigureAwait(false);
        var root = document.RootElement;
        var eventName = GetString(root, "event") ?? throw new PushApiException(PushErrorCode.MissingParameter, "event is required.");
        if (eventName.Length == 0)
        {
            throw new PushApiException(PushErrorCode.InvalidRequest, "event must not be empty.");
        }
        if (ReservedEventNames.IsReserved(eventName))
        {
            throw new PushApiException(PushErrorCode.ReservedEvent, $"\"{eventName}\" is a reserved event name and cannot be emitted.");
        }
        var hasArgs = root.TryGetProperty("args", out var args);
        var hasData = root.TryGetProperty("data", out var data);
        if (hasArgs && hasData)
        {
            throw new PushApiException(PushErrorCode.InvalidRequest, "Give either args (an array) or data (one value), not both.");
        }
        object?[] arguments;
        if (hasArgs)
        {
            if (args.ValueKind != JsonValueKind.Array)
            {
                throw new PushApiException(PushErrorCode.InvalidRequest, "args must be an array.");
            }
            arguments = [.. args.EnumerateArray().Select(a => (object?)a.Clone())];
        }
        else
        {
            arguments = hasData ? [data.Clone()] : [];
        }
        TimeSpan? ackTimeout = null;
        if (root.TryGetProperty("ackTimeoutMs", out var timeout) && timeout.ValueKind != JsonValueKind.Null)
        {
            if (timeout.ValueKind != JsonValueKind.Number || !timeout.TryGetInt32(out var ms) || ms <= 0)
            {
                throw new PushApiException(PushErrorCode.InvalidRequest, "ackTimeoutMs must be a positive whole number of milliseconds.");
            }
            ackTimeout = TimeSpan.FromMilliseconds(ms);
        }
        return ReadSelection(root, new PushRequest
        {
            Operation = PushOperation.Emit,
            Source = "emit",
            Event = eventName,
            Args = arguments,
            Volatile = GetBool(root, "volatile"),
            AckTimeout = ackTimeout,
        });
    }

    /// <summary>
    /// Reads <c>POST /api/sockets/join|leave|disconnect</c>: the selection (<c>namespace</c>, <c>rooms</c>, <c>except</c>,
    /// <c>socketId</c>), plus <c>targetRooms</c> to join or leave, or <c>close</c> for a disconnect.
    /// </summary>
    public static async Task<PushRequest> ReadSocketsOperationAsync(HttpContext context, PushApiSettings options, PushOperation operation)
    {
        using var document = await ReadJsonAsync(context, options).ConfigureAwait(false);
        var root = document.RootElement;
        var request = new PushRequest { Operation = operation, Source = operation.ToString().ToLowerInvariant() };
        if (operation is PushOperation.Join or PushOperation.Leave)
        {
            var targets = GetStrings(root, "targetRooms");
            if (targets.Count == 0)
            {
                throw new PushApiException(PushErrorCode.MissingParameter, "targetRooms (the rooms to join or leave) is required.");
            }
            request = request with { TargetRooms = targets };
        }
        else
        {
            request = request with { Close = GetBool(root, "close") };
        }
        return ReadSelection(root, request);
    }

    private static PushRequest ReadSelection(JsonElement root, PushRequest request) => request with
    {
        Namespace = GetString(root, "namespace") is { } nsp ? (nsp.StartsWith('/') ? nsp : "/" + nsp) : "/",
        Rooms = GetStrings(root, "rooms"),
        Except = GetStrings(root, "except"),
        SocketId = GetString(root, "socketId") is { Length: > 0 } id ? id : null,
    };

    private static async Task<JsonDocument> ReadJsonAsync(HttpContext context, PushApiSettings options)
    {
        if (!HttpMethods.IsPost(context.Request.Method))
        {
            throw new PushApiException(PushErrorCode.MethodNotAllowed, "Use POST with a JSON body.");
        }
        var contentType = context.Request.ContentType;
        if (contentType is not null && !contentType.Contains("json", StringComparison.OrdinalIgnoreCase))
        {
            throw new PushApiException(PushErrorCode.UnsupportedMediaType, "The body must be JSON (Content-Type: application/json).");
        }
        var body = await ReadBodyAsync(context, options).ConfigureAwait(false);
        // The parser transcodes strings only when they are read, so bytes that are not UTF-8 would pass it and fail
        // later, as a 500 instead of the caller's 400.
        if (!Utf8.IsValid(body.Span))
        {
            throw new PushApiException(PushErrorCode.InvalidJson, "The body is not valid JSON: it is not UTF-8 text.");
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException ex)
        {
            throw new PushApiException(PushErrorCode.InvalidJson, "The body is not valid JSON: " + ex.Message);
        }
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            throw new PushApiException(PushErrorCode.InvalidRequest, "The body must be a JSON object.");
        }
        return document;
    }

    private static async Task<ReadOnlyMemory<byte>> ReadBodyAsync(HttpContext context, PushApiSettings options)
    {
        LimitBody(context, options);
        var buffer = new ArrayBufferWriter<byte>((int)Math.Min(context.Request.ContentLength ?? 4096, options.MaxBodyBytes) + 1);
        try
        {
            while (true)
            {
                var memory = buffer.GetMemory(4096);
                var read = await context.Request.Body.ReadAsync(memory, context.RequestAborted).ConfigureAwait(false);
                if (read == 0)
                {
                    context.Items[BodyBytesKey] = (long)buffer.WrittenCount;
                    return buffer.WrittenMemory;
                }
                buffer.Advance(read);
                if (buffer.WrittenCount > options.MaxBodyBytes)
                {
                    throw TooLarge(options);
                }
            }
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw TooLarge(options);
        }
    }

    private static string? GetString(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        return value.ValueKind == JsonValueKind.String
            ? ReadString(value, name)
            : throw new PushApiException(PushErrorCode.InvalidRequest, $"{name} must be a string.");
    }

    private static string ReadString(JsonElement value, string name)
    {
        try
        {
            return value.GetString()!;
        }
        catch (InvalidOperationException)
        {
            // JSON allows an escaped lone surrogate ("\ud800"), which cannot be read as a string.
            throw new PushApiException(PushErrorCode.InvalidRequest, $"{name} must be valid UTF-16 text (it holds a lone surrogate).");
        }
    }

    private static bool GetBool(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return false;
        }
        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new PushApiException(PushErrorCode.InvalidRequest, $"{name} must be true or false."),
        };
    }

    /// <summary>A string or an array of strings.</summary>
    private static IReadOnlyList<string> GetStrings(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return [];
        }
        if (value.ValueKind == JsonValueKind.String)
        {
            return [ReadString(value, name)];
        }
        if (value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String))
        {
            return [.. value.EnumerateArray().Select(e => ReadString(e, name))];
        }
        throw new PushApiException(PushErrorCode.InvalidRequest, $"{name} must be a string or an array of strings.");
    }
}
