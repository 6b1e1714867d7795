using System.Buffers;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Http;

namespace PushServer.EngineIO.Routing;

/// <summary>
/// Relays a WebSocket upgrade to the node holding its session: connects to the owner first (so a refusal there is a
/// refusal here, before the client's 101), then accepts the client and copies messages both ways, frame type and
/// close status included, until either side closes. The session never moves: the owner sees an ordinary upgrade.
/// </summary>
internal static class WebSocketRelay
{
    // Each direction holds one buffer while it waits for a message: the whole cost of a relayed connection besides its
    // two sockets. Messages larger than this are copied in parts, fragments kept.
    private const int BufferSize = 4096;

    // After one side closed, how long the other direction may take to finish its close handshake.
    private static readonly TimeSpan CloseGrace = TimeSpan.FromSeconds(5);

    /// <summary>False when the owner could not be reached or refused the upgrade (nothing written to the client then).</summary>
    public static async Task<bool> RelayAsync(HttpContext context, Uri owner, string routedBy, TimeSpan connectTimeout)
    {
        var request = context.Request;
        var scheme = owner.Scheme == Uri.UriSchemeHttps ? "wss" : "ws";
        var target = new UriBuilder(owner) { Scheme = scheme, Path = request.PathBase + request.Path, Query = request.QueryString.Value?.TrimStart('?') }.Uri;
        var upstream = new ClientWebSocket();
        upstream.Options.KeepAliveInterval = TimeSpan.Zero; // Engine.IO has its own heartbeat, relayed like any message.
        upstream.Options.SetRequestHeader(ClusterSessionRouter.RoutedHeader, routedBy);
        if (context.Connection.RemoteIpAddress is { } address)
        {
            upstream.Options.SetRequestHeader("X-Forwarded-For", address.ToString());
        }
        // No Origin: this node has judged it already, and the owner would judge it against its own address.
        using (var connecting = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted))
        {
            connecting.CancelAfter(connectTimeout);
            try
            {
                await upstream.ConnectAsync(target, connecting.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is WebSocketException or HttpRequestException or OperationCanceledException)
            {
                upstream.Dispose();
                return false;
            }
        }

        using (upstream)
        {
            using var client = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext { KeepAliveInterval = TimeSpan.Zero }).ConfigureAwait(false);
            var toOwner = PumpAsync(client, upstream);
            var toClient = PumpAsync(upstream, client);
            await Task.WhenAny(toOwner, toClient).ConfigureAwait(false);
            await Task.WhenAny(Task.WhenAll(toOwner, toClient), Task.Delay(CloseGrace)).ConfigureAwait(false);
            client.Abort();
            upstream.Abort();
            await Task.WhenAll(toOwner, toClient).ConfigureAwait(false);
        }
        return true;
    }

    /// <summary>Copies messages from <paramref name="from"/> to <paramref name="to"/> until a close or a failure; never throws.</summary>
    private static async Task PumpAsync(WebSocket from, WebSocket to)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            while (true)
            {
                var received = await from.ReceiveAsync(buffer.AsMemory(), CancellationToken.None).ConfigureAwait(false);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    if (to.State is WebSocketState.Open or WebSocketState.CloseReceived)
                    {
                        await to.CloseOutputAsync(from.CloseStatus ?? WebSocketCloseStatus.NormalClosure, from.CloseStatusDescription, CancellationToken.None).ConfigureAwait(false);
                    }
                    return;
                }
                await to.SendAsync(buffer.AsMemory(0, received.Count), received.MessageType, received.EndOfMessage, CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            // One side vanished: end the other, so its own pump stops too.
            to.Abort();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
