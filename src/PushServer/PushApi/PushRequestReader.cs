using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;
using PushServer.Configuration;

namespace PushServer.PushApi;

/// <summary>
/// Turns each request form into a <see cref="PushRequest"/>: phpsocket.io's <c>?msg=</c>, web-msg-sender's
/// <c>type=publish</c> form (query or POST form, urlencoded or multipart), and the JSON bodies of <c>/api/</c>.
/// Bodies are read up to <see cref="PushApiSettings.MaxBodyBytes"/>; past it the request fails with 413.
/// </summary>
internal static partial class PushRequestReader
{
    /// <summary>Event phpsocket.io's push worker emits for <c>?msg=</c>.</summary>
    public const string ChatMessageEvent = "chat message";

    /// <summary>Event web-msg-sender emits for <c>type=publish</c>.</summary>
    public const string NewMessageEvent = "new_msg";

    /// <summary>
    /// Reads a request to <c>/</c>. Returns null for a web-msg-sender form whose <c>type</c> is not <c>publish</c>,
    /// which that server answers with <c>fail</c>.
    /// </summary>
    public static async Task<PushRequest?> ReadRootAsync(HttpContext context, PushApiSettings options)
    {
        var parameters = new Dictionary<string, StringValues>(StringComparer.Ordinal);
        foreach (var (key, value) in context.Request.Query)
        {
            parameters[key] = value;
        }
        if (HttpMethods.IsPost(context.Request.Method) && context.Request.HasFormContentType)
        {
            // web-msg-sender reads POST first, then GET: POST values win.
            foreach (var (key, value) in await ReadFormAsync(context, options).ConfigureAwait(false))
            {
                parameters[key] = value;
            }
        }

        if (parameters.TryGetValue("type", out var type))
        {
            if (type.ToString() != "publish")
            {
                return null;
            }
            var to = parameters.GetValueOrDefault("to").ToString();
            var content = parameters.GetValueOrDefault("content").ToString();
            if (options.EscapeFormContent)
            {
                content = HtmlSpecialChars(content);
            }
            return new PushRequest
            {
                Operation = PushOperation.Emit,
                Source = "publish",
                Reply = PushReplyStyle.WebMsgSender,
                Event = NewMessageEvent,
                Args = [content],
                Rooms = to.Length == 0 ? [] : [options.UserRoom(to)],
            };
        }
        if (parameters.TryGetValue("msg", out var msg))
        {
            return new PushRequest
            {
                Operation = PushOperation.Emit,
                Source = "msg",
                Reply = PushReplyStyle.Ok,
                Event = ChatMessageEvent,
                Args = [msg.ToString()],
            };
        }
        throw new PushApiException(PushErrorCode.MissingParameter,
            "msg is required: GET /?msg=TEXT, or the form type=publish&to=UID&content=TEXT.");
    }

    /// <summary>
    /// PHP's <c>htmlspecialchars</c> with its PHP 8.1 defaults, as web-msg-sender applies it: only <c>&amp; &lt; &gt; " '</c>
    /// change, so non-ASCII text and emoji arrive as sent (unlike <c>WebUtility.HtmlEncode</c>).
    /// </summary>
    public static string HtmlSpecialChars(string text)
    {
        if (text.AsSpan().IndexOfAny("&<>\"'") < 0)
        {
            return text;
        }
        var result = new System.Text.StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            result.Append(c switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                '\'' => "&#039;",
                _ => null,
            } ?? c.ToString());
        }
        return result.ToString();
    }

    private const string BodyBytesKey = "PushServer.BodyBytes";

    /// <summary>The request body's size for logs: the bytes read, or the declared length.</summary>
    public static long BodyBytes(HttpContext context) =>
        context.Items.TryGetValue(BodyBytesKey, out var read) && read is long n ? n : context.Request.ContentLength ?? 0;

    /// <summary>A namespace from a route value: <c>chat</c> or <c>%2Fchat</c> is <c>/chat</c>, <c>%2F</c> is <c>/</c>.</summary>
    public static string NamespaceFromRoute(string? value)
    {
        var name = Uri.UnescapeDataString(value ?? "");
        return name.StartsWith('/') ? name : "/" + name;
    }

    private static async Task<IFormCollection> ReadFormAsync(HttpContext context, PushApiSettings options)
    {
        LimitBody(context, options);
        var limit = (int)Math.Min(options.MaxBodyBytes, int.MaxValue);
        context.Features.Set<IFormFeature>(new FormFeature(context.Request, new FormOptions
        {
            MultipartBodyLengthLimit = options.MaxBodyBytes,
            ValueLengthLimit = limit,
            BufferBodyLengthLimit = options.MaxBodyBytes,
        }));
        try
        {
            return await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw TooLarge(options);
        }
        catch (InvalidDataException ex) when (ex.Message.Contains("limit", StringComparison.OrdinalIgnoreCase))
        {
            throw TooLarge(options);
        }
        catch (InvalidDataException ex)
        {
            throw new PushApiException(PushErrorCode.InvalidRequest, "The form could not be read: " + ex.Message);
        }
        catch (IOException ex) when (!context.RequestAborted.IsCancellationRequested)
        {
            // A multipart body that ends before its closing boundary: the caller's mistake, not ours.
            throw new PushApiException(PushErrorCode.InvalidRequest, "The form could not be read: " + ex.Message);
        }
    }

    /// <summary>Refuses a declared length over the cap at once, and makes Kestrel stop a chunked body past it.</summary>
    private static void LimitBody(HttpContext context, PushApiSettings options)
    {
        if (context.Request.ContentLength > options.MaxBodyBytes)
        {
            throw TooLarge(options);
        }
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = options.MaxBodyBytes;
        }
    }

    private static PushApiException TooLarge(PushApiSettings options) =>
        new(PushErrorCode.PayloadTooLarge, $"The request body is larger than PushApi:MaxBodyBytes ({options.MaxBodyBytes} bytes).");
}
