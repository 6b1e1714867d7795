using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PushServer.Configuration;

namespace PushServer.Behaviours.Webhooks;

/// <summary>
/// Sends lifecycle webhooks (connect, disconnect) in the background, in order, retrying each with doubling delays:
/// at least once unless the backend stays down for every attempt or the bounded queue overflows (both logged), and
/// possibly late. Never makes a client wait.
/// </summary>
internal sealed partial class LifecycleWebhookQueue(WebhookClient client, WebhookSettings settings, TimeProvider time, ILogger logger)
    : BackgroundService
{
    // Bounded so a backend that is down cannot grow memory without limit; 10,000 reports cover a long outage of a busy node.
    private readonly Channel<object> _queue = Channel.CreateBounded<object>(new BoundedChannelOptions(10_000)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
        SingleReader = true,
    });

    public void Enqueue(object report)
    {
        if (!_queue.Writer.TryWrite(report))
        {
            Log.QueueFull(logger);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var timeout = TimeSpan.FromMilliseconds(settings.TimeoutMs);
        try
        {
            await foreach (var report in _queue.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                var delay = TimeSpan.FromMilliseconds(500);
                for (var attempt = 1; ; attempt++)
                {
                    try
                    {
                        await client.PostAsync(report, timeout, stoppingToken).ConfigureAwait(false);
                        break;
                    }
                    catch (Exception ex) when (ex is HttpRequestException || (ex is OperationCanceledException && !stoppingToken.IsCancellationRequested))
                    {
                        if (attempt >= settings.MaxAttempts)
                        {
                            Log.GivenUp(logger, attempt, ex.Message);
                            break;
                        }
                        await Task.Delay(delay, time, stoppingToken).ConfigureAwait(false);
                        delay *= 2;
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The host is stopping: control flow.
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = PushServerEventIds.LifecycleWebhookQueueFull, Level = LogLevel.Warning,
            Message = "Lifecycle webhook queue is full (the backend is down or too slow): a report was dropped")]
        public static partial void QueueFull(ILogger logger);

        [LoggerMessage(EventId = PushServerEventIds.LifecycleWebhookGivenUp, Level = LogLevel.Warning,
            Message = "Lifecycle webhook given up after {Attempts} attempts: {Reason}")]
        public static partial void GivenUp(ILogger logger, int attempts, string reason);
    }
}
