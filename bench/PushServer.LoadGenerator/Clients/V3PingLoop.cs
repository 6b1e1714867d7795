using System.Net.WebSockets;

namespace PushServer.LoadGenerator.Clients;

/// <summary>
/// Engine.IO v3 clients ping the server every pingInterval (v4 servers ping instead); both transports run this
/// loop until the session ends, each with its own way of sending the ping.
/// </summary>
internal static class V3PingLoop
{
    public static async Task RunAsync(TimeSpan interval, Func<byte[], CancellationToken, ValueTask> send, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                await send(WireText.Ping, stop).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or HttpRequestException or WebSocketException or IOException)
        {
            // The session ended.
        }
    }
}
