using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PushServer.Configuration;
using PushServer.Metrics;
using PushServer.Shared;

namespace PushServer.PushApi;

/// <summary>
/// The one path every push endpoint takes: read the request form into a <see cref="PushRequest"/>, run it through the
/// <see cref="PushExecutor"/>, answer, log and count. Errors become <c>{"error":{"code","message"}}</c>.
/// </summary>
internal sealed partial class PushApiHandler(
    PushExecutor executor, PushServerMetrics metrics, IOptions<PushApiSettings> options, ILogger<PushApiHandler> logger)
{
    private readonly PushApiSettings _options = options.Value;

    /// <summary>Reads with <paramref name="read"/> (null means web-msg-sender's <c>fail</c>), executes and answers.</summary>
    public async Task HandleAsync(HttpContext context, string source, Func<HttpContext, PushApiSettings, Task<PushRequest?>> read)
    {
        int? recipients = null;
        try
        {
            var request = await read(context, _options).ConfigureAwait(false);
            if (request is null)
            {
                await WriteTextAsync(context, "fail").ConfigureAwait(false);
                Log.PushHandled(logger, source, context.Response.StatusCode, PushRequestReader.BodyBytes(context), 0);
                metrics.PushRequest(source, context.Response.StatusCode, null);
                return;
            }
            source = request.Source;
            var result = await executor.ExecuteAsync(request, context.RequestAborted).ConfigureAwait(false);
            recipients = result.Recipients;
            await WriteResultAsync(context, request, result).ConfigureAwait(false);
            if (request.Operation is PushOperation.Stats or PushOperation.ListRooms or PushOperation.ListSockets)
            {
                // Monitoring polls these; at Information they would drown the pushes.
                Log.QueryHandled(logger, source, context.Response.StatusCode);
            }
            else
            {
                Log.PushHandled(logger, source, context.Response.StatusCode, PushRequestReader.BodyBytes(context), recipients ?? 0);
            }
        }
        catch (PushApiException ex)
        {
            await WriteErrorAsync(context, ex.Code, ex.Message).ConfigureAwait(false);
            Log.PushRefused(logger, source, context.Response.StatusCode, PushErrors.WireCode(ex.Code), ex.Message);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The caller went away; there is nobody to answer.
            return;
        }
        catch (Exception ex)
        {
            Log.PushFailed(logger, source, ex);
            await WriteErrorAsync(context, PushErrorCode.Internal, "The push failed on the server; see its log.").ConfigureAwait(false);
        }
        metrics.PushRequest(source, context.Response.StatusCode, recipients);
    }

    /// <summary>Writes the JSON error body with the status of <paramref name="code"/>.</summary>
    public static Task WriteErrorAsync(HttpContext context, PushErrorCode code, string message)
    {
        if (context.Response.HasStarted)
        {
            return Task.CompletedTask;
        }
        context.Response.StatusCode = PushErrors.StatusOf(code);
        if (code == PushErrorCode.Unauthorized)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
        }
        return context.Response.WriteAsJsonAsync(new { error = new { code = PushErrors.WireCode(code), message } }, HttpJson.Options);
    }

    /// <summary>
    /// <c>node</c>: one node, as configured; <c>cluster</c>: handed to every node; <c>node-only</c>: the cluster
    /// was unreachable, so clients on other nodes missed it.
    /// </summary>
    private static string? ReachName(SocketIO.Adapters.BroadcastReach? reach) => reach switch
    {
        SocketIO.Adapters.BroadcastReach.ThisNode => "node",
        SocketIO.Adapters.BroadcastReach.Cluster => "cluster",
        SocketIO.Adapters.BroadcastReach.ThisNodeOnlyClusterUnavailable => "node-only",
        _ => null,
    };

    private static Task WriteTextAsync(HttpContext context, string text)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(text);
    }

    private static Task WriteResultAsync(HttpContext context, PushRequest request, PushResult result)
    {
        switch (request.Reply)
        {
            case PushReplyStyle.Ok:
                return WriteTextAsync(context, "ok");
            case PushReplyStyle.WebMsgSender:
                return WriteTextAsync(context, result.Offline ? "offline" : "ok");
        }
        object body = request.Operation switch
        {
            PushOperation.Emit => new
            {
                recipients = result.Recipients,
                reach = ReachName(result.Reach),
                acks = result.Acks,
                ackTimedOut = result.Acks is null ? (bool?)null : result.AckTimedOut,
            },
            PushOperation.ListSockets => new { @namespace = request.Namespace, sockets = result.Sockets },
            PushOperation.ListRooms => new { @namespace = request.Namespace, rooms = result.Rooms },
            PushOperation.Stats => result.Stats!,
            _ => new { sockets = result.Recipients },
        };
        return context.Response.WriteAsJsonAsync(body, body.GetType(), HttpJson.Options);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = PushServerEventIds.PushHandled, Level = LogLevel.Information,
            Message = "Push {Operation} answered {Status}: {Bytes} bytes in, {Recipients} recipients")]
        public static partial void PushHandled(ILogger logger, string operation, int status, long bytes, int recipients);

        [LoggerMessage(EventId = PushServerEventIds.QueryHandled, Level = LogLevel.Debug,
            Message = "Query {Operation} answered {Status}")]
        public static partial void QueryHandled(ILogger logger, string operation, int status);

        [LoggerMessage(EventId = PushServerEventIds.PushRefused, Level = LogLevel.Information,
            Message = "Push {Operation} refused with {Status} {Code}: {Reason}")]
        public static partial void PushRefused(ILogger logger, string operation, int status, string code, string reason);

        [LoggerMessage(EventId = PushServerEventIds.PushFailed, Level = LogLevel.Error, Message = "Push {Operation} failed")]
        public static partial void PushFailed(ILogger logger, string operation, Exception exception);
    }
}
