using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using PushServer.EngineIO.Protocol;

namespace PushServer.EngineIO.Transports;

internal sealed partial class PollingTransport
{
    /// <summary>
    /// A POST ends in one of these ways: its packets are delivered and it gets <c>ok</c>; its body is too large
    /// (413, data dropped, the session lives on as in the reference); it overlaps another POST or is binary on
    /// v4 (400, the session closes); its payload is malformed (the good packets are delivered, the session
    /// closes with <c>parse error</c>, the answer is still <c>ok</c>); or the client went away mid-body.
    /// </summary>
    public async Task HandlePostAsync(HttpContext context)
    {
        lock (_sync)
        {
            if (_postActive)
            {
                EngineLog.ProtocolViolation(_session.Logger, _session.Id, "overlapping POST");
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                _session.Abort(EngineCloseReason.TransportError);
                return;
            }
            _postActive = true;
        }
        bool answerOk;
        try
        {
            answerOk = await ProcessPostAsync(context).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsCutOff(ex))
        {
            OnCutOff(context, ex);
            return;
        }
        finally
        {
            lock (_sync)
            {
                _postActive = false;
            }
        }
        if (!answerOk)
        {
            return;
        }
        // Answered only once the POST no longer counts as active: a client sends its next POST as soon as it reads
        // this "ok", often on another connection, and that one must not be taken for an overlapping POST (engine.io
        // ends a data request before answering it, in the same tick).
        try
        {
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "text/html";
            context.Response.ContentLength = OkBody.Length;
            await context.Response.Body.WriteAsync(OkBody).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsCutOff(ex))
        {
            OnCutOff(context, ex);
        }
    }

    private static bool IsCutOff(Exception ex) =>
        ex is OperationCanceledException or IOException or BadHttpRequestException or ConnectionResetException;

    /// <summary>The client went away mid-body or mid-answer.</summary>
    private void OnCutOff(HttpContext context, Exception ex)
    {
        EngineLog.TransportEnded(_session.Logger, _session.Id, "data request aborted: " + ex.Message);
        _session.Abort(EngineCloseReason.TransportError);
        // Drop the connection so the server does not try to drain what never comes (Kestrel would log that failed
        // drain as an Error).
        context.Abort();
    }

    /// <summary>Reads and delivers the POST's packets; true when it is to be answered <c>ok</c> (else its status is set).</summary>
    private async Task<bool> ProcessPostAsync(HttpContext context)
    {
        var isBinary = string.Equals(context.Request.ContentType, "application/octet-stream", StringComparison.OrdinalIgnoreCase);
        if (isBinary && (_session.Protocol == EngineProtocolVersion.V4 || _jsonpIndex is not null))
        {
            // v4 payloads are text only; binary travels as base64 records.
            EngineLog.ProtocolViolation(_session.Logger, _session.Id, "invalid content");
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            _session.Abort(EngineCloseReason.TransportError);
            return false;
        }

        var body = await RequestBodyReader.ReadAsync(context, _session.Options.MaxHttpBufferSize).ConfigureAwait(false);
        if (body is null)
        {
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            return false;
        }

        var packets = new List<InboundPacket>();
        var ok = Decode(body, isBinary, packets);
        foreach (var packet in packets)
        {
            await _session.ReceiveAsync(packet).ConfigureAwait(false);
        }
        if (!ok)
        {
            _session.OnParseError("malformed polling payload");
        }
        return true;
    }

    private bool Decode(byte[] body, bool isBinary, List<InboundPacket> packets)
    {
        if (_session.Protocol == EngineProtocolVersion.V4)
        {
            return PayloadDecoder.TryDecodeV4(body, packets);
        }
        if (isBinary)
        {
            return PayloadDecoder.TryDecodeV3Binary(body, packets);
        }
        var text = Encoding.UTF8.GetString(body);
        if (_jsonpIndex is not null)
        {
            text = DecodeJsonpBody(text);
        }
        return PayloadDecoder.TryDecodeV3Text(text, packets);
    }

    /// <summary>
    /// JSONP clients post a form <c>d=&lt;payload&gt;</c> and escape newlines as <c>\\n</c>, which is undone here
    /// unless the backslash was itself escaped.
    /// </summary>
    private static string DecodeJsonpBody(string form)
    {
        var fields = QueryHelpers.ParseQuery(form.StartsWith('?') ? form : "?" + form);
        var data = fields.TryGetValue("d", out var values) ? values.ToString() : "";
        return EscapedNewline().Replace(data, static m => m.Groups[1].Success ? m.Value : "\n");
    }

    [GeneratedRegex(@"(\\)?\\n")]
    private static partial Regex EscapedNewline();
}
