using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PushServer.Configuration;
using PushServer.SocketIO;
using PushServer.SocketIO.Adapters;

namespace PushServer.Behaviours.Webhooks;

/// <summary>
/// Forwards the configured client events to the backend and acks the client with the backend's JSON answer
/// (<c>{"error":"webhook_failed"}</c> when the backend fails or is too slow), and queues lifecycle reports.
/// </summary>
internal sealed partial class WebhookBehaviour(
    IOptions<WebhookSettings> options, WebhookClient client, LifecycleWebhookQueue lifecycle, ILoggerFactory loggers)
    : IPushServerBehaviour
{
    private readonly WebhookSettings _settings = options.Value;
    private readonly ILogger _logger = loggers.CreateLogger("PushServer.Webhooks");

    /// <summary>Installs the event forwarding and lifecycle reports when a backend URL is configured.</summary>
    public void Apply(SocketIOServer io)
    {
        var settings = _settings;
        var logger = _logger;
        if (settings.Url.Length == 0)
        {
            return;
        }
        var timeout = TimeSpan.FromMilliseconds(settings.TimeoutMs);
        if (settings.RoomLifecycle && io.Of("/").Adapter is InMemoryAdapter adapter)
        {
            var nsp = adapter.Namespace.Name;
            adapter.RoomCreated += (room, socketId) =>
            {
                if (room != socketId)
                {
                    lifecycle.Enqueue(new { type = "room_occupied", room, @namespace = nsp, socketId });
                }
            };
            adapter.RoomDeleted += (room, socketId) =>
            {
                if (room != socketId)
                {
                    lifecycle.Enqueue(new { type = "room_empty", room, @namespace = nsp, socketId });
                }
            };
        }
        io.Of("/").OnConnection(socket =>
        {
            foreach (var eventName in settings.Events)
            {
                socket.On(eventName, e => ForwardAsync(socket, eventName, e, client, timeout, logger));
            }
            if (settings.Lifecycle)
            {
                lifecycle.Enqueue(new { type = "connect", socketId = socket.Id, @namespace = socket.Namespace.Name, address = socket.Handshake.Address });
                socket.OnDisconnect(reason => lifecycle.Enqueue(new { type = "disconnect", socketId = socket.Id, @namespace = socket.Namespace.Name, reason }));
            }
        });
    }

    private static async ValueTask ForwardAsync(SocketIOSocket socket, string eventName, SocketIOEvent e, WebhookClient client, TimeSpan timeout, ILogger logger)
    {
        var payload = new
        {
            type = "event",
            @event = eventName,
            socketId = socket.Id,
            @namespace = socket.Namespace.Name,
            args = e.Args.Select(a => a.Clone()).ToArray(),
        };
        try
        {
            var answer = await client.PostAsync(payload, timeout, socket.DisconnectToken).ConfigureAwait(false);
            using var json = JsonDocument.Parse(answer.Length == 0 ? "null" : answer);
            e.Ack(json.RootElement.Clone());
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or JsonException)
        {
            Log.EventWebhookFailed(logger, eventName, ex.Message);
            e.Ack(new { error = "webhook_failed" });
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = PushServerEventIds.WebhookFailed, Level = LogLevel.Warning, Message = "Webhook for client event {Event} failed: {Reason}")]
        public static partial void EventWebhookFailed(ILogger logger, string @event, string reason);
    }
}
