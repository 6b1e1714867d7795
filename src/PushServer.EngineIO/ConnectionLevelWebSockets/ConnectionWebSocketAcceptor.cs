// Connection-level WebSockets: what this folder is, what it buys, what it costs.
//
// Engine.IO WebSocket upgrades answered off the wire, below Kestrel's HTTP layer (Server:ConnectionLevelWebSockets,
// on by default in the executable). Two ways in, both through this acceptor, which reads the first request head
// (WebSocketUpgradeRequest) and asks the server whether it takes the upgrade (EngineServer.TryTakeUpgrade):
//   - UpgradeSniffingListener wraps Kestrel's socket transport and peeks at each accepted connection's first bytes;
//     an upgrade taken here runs its WebSocket on the bare socket (SocketStream), never seen by Kestrel;
//   - without the listener, this acceptor is Kestrel connection middleware, and the WebSocket runs on the
//     connection's pipes (ConnectionStream).
// Everything else (polling, TLS, other endpoints, every request the server would refuse, a head split over two
// segments, options only the HTTP path honours: AllowRequest, perMessageDeflate) is left unread and served by Kestrel
// as before. The transport then writes prebuilt frames (WebSocketFrameHeader) to the connection directly.
//
// What it buys (measured, docs/BENCHMARKS.md, memory per idle WebSocket at 10,000 connections, RSS from a fresh
// process): 21.5 KB through ASP.NET Core's WebSocket middleware; 13.6 KB with the upgrade accepted below the HTTP
// layer; 7.6-8.2 KB once served on the bare socket (together with that round's other changes: writes tried without
// blocking first, fewer state machines per connection, single-member room sets, shared handlers). Through ASP.NET
// Core an upgraded WebSocket keeps Kestrel's HTTP connection, request objects and two pipes for its whole life,
// about 8 KB of RSS; the managed heap per idle connection went from about 9 KB before the bare-socket listener to
// 2.9 KB now.
//
// What it costs: about 1,600 lines of our own (this folder, and EngineServer.ConnectionUpgrade.cs) doing what
// Kestrel and the WebSocket middleware would do: parsing the upgrade head, the 101, a connection cap
// (EngineIOConnectionLimits.MaxConnections) and a head-read deadline (RequestHeadersTimeout) of our own, and a
// graceful close told from a reset. Two paths must behave alike, so both need tests: the engine's wire tests run the
// HTTP path, the adversarial tests this one, the executable's end-to-end tests each. Connections served here pass no
// ASP.NET Core middleware and none of Kestrel's connection logging or limits; the listener relies on wrapping
// Kestrel's socket transport factory.

using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Connections;
using PushServer.EngineIO.Sessions;

namespace PushServer.EngineIO.ConnectionLevelWebSockets;

/// <summary>
/// Kestrel connection middleware that accepts Engine.IO WebSockets before the HTTP layer. Through HTTP, every
/// upgraded connection keeps Kestrel's request objects (the HTTP/1.1 connection, header collections, the request
/// and response streams and their state machines: about 5 KB) for its whole life, and every frame passes through the
/// request and response streams. Here the first request of a connection is read off the wire; when it is a plain
/// WebSocket upgrade the server would accept (see <see cref="EngineServer.TryTakeUpgrade"/>), it is answered with
/// 101 and the WebSocket runs on the connection's pipes. Anything else, including every request the server would
/// refuse, is left unread and handed to Kestrel's HTTP layer, which serves it as before.
/// </summary>
/// <remarks>
/// The first request head is waited for whole, within <see cref="EngineIOConnectionLimits.RequestHeadersTimeout"/> of
/// the connection's accept; a connection that has not sent it by then is closed, however many bytes it dripped.
/// Connections Kestrel's own transport accepted (no <see cref="UpgradeSniffingListener"/>) are counted against
/// <see cref="EngineIOConnectionLimits.MaxConnections"/> here, after Kestrel accepted them.
/// </remarks>
internal sealed class ConnectionWebSocketAcceptor
{
    /// <summary>
    /// How many bytes of a first request are waited for before the connection goes on to Kestrel even without the
    /// head's end: above Kestrel's own defaults (8 KiB request line, 32 KiB of headers), so Kestrel refuses an
    /// oversized head itself (414, 431) rather than this acceptor holding it.
    /// </summary>
    internal const int MaxWaitedHeadBytes = 48 * 1024;

    private static readonly byte[] SwitchingProtocols = Encoding.ASCII.GetBytes(
        "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Accept: ");

    private readonly string _prefix;
    private readonly Func<EngineServer> _server;
    private readonly Func<bool> _accepting;

    public ConnectionWebSocketAcceptor(string prefix, Func<EngineServer> server, Func<bool> accepting, EngineIOConnectionLimits limits)
    {
        _prefix = prefix;
        _server = server;
        _accepting = accepting;
        Limits = limits;
    }

    /// <summary>The limits of the listener's connections.</summary>
    internal EngineIOConnectionLimits Limits { get; }

    /// <summary>The server, resolved now (the host's services are built once connections arrive).</summary>
    internal EngineServer Server => _server();

    /// <summary>An upgrade request this server takes on, and where the request's head ends.</summary>
    internal readonly record struct TakenUpgrade(EngineServer Server, WebSocketUpgradeRequest Request, EngineServer.ConnectionUpgrade Upgrade, int HeadLength);

    public async Task OnConnectionAsync(ConnectionContext connection, ConnectionDelegate next)
    {
        // A connection the Engine.IO listener handed on is counted already, from its accept; one from Kestrel's own
        // transport is counted here, for as long as this middleware (and so Kestrel's handling of it) runs.
        var accepted = connection.Features.Get<AcceptedConnectionFeature>();
        if (accepted is null && !Limits.TryOpen())
        {
            return;
        }
        try
        {
            await ServeAsync(connection, next, accepted).ConfigureAwait(false);
        }
        finally
        {
            if (accepted is null)
            {
                Limits.Closed();
            }
        }
    }

    private async Task ServeAsync(ConnectionContext connection, ConnectionDelegate next, AcceptedConnectionFeature? accepted)
    {
        var server = _server();
        var input = connection.Transport.Input;
        var started = accepted?.AcceptedAt ?? server.Deadlines.Now;
        ReadResult? head;
        try
        {
            head = await ReadHeadAsync(input, server.Deadlines, started, Limits.RequestHeadersTimeout).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException)
        {
            // The client reset or the server aborted the connection before a request arrived: nothing to serve.
            return;
        }
        if (head is not { } result)
        {
            // No whole request head in time: closed, as Node closes a connection past its headersTimeout.
            Limits.HeadTimedOut(server.Logger);
            connection.Abort();
            return;
        }
        var remoteAddress = (connection.RemoteEndPoint as IPEndPoint)?.Address;
        if (!TryTake(result.Buffer, remoteAddress, out var taken))
        {
            // Not ours: nothing consumed or examined, so Kestrel reads the same bytes at once.
            input.AdvanceTo(result.Buffer.Start);
            await next(connection).ConfigureAwait(false);
            return;
        }
        input.AdvanceTo(result.Buffer.GetPosition(taken.HeadLength));

        try
        {
            await WriteSwitchingProtocolsAsync(connection.Transport.Output, taken.Request.AcceptKey()).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException)
        {
            // Gone before the answer: nothing was opened yet.
            return;
        }
        var stream = new ConnectionStream(connection);
        var socket = CreateWebSocket(stream);
        stream.Owner = socket;
        await server.ServeUpgradeAsync(taken.Upgrade, taken.Request, remoteAddress, socket).ConfigureAwait(false);
    }

    /// <summary>
    /// Decides on a connection's first bytes: true when they hold a whole WebSocket upgrade request for this path
    /// that the server accepts now (see <see cref="EngineServer.TryTakeUpgrade"/>).
    /// </summary>
    internal bool TryTake(in ReadOnlySequence<byte> firstBytes, IPAddress? remoteAddress, out TakenUpgrade taken)
    {
        taken = default;
        var server = _server();
        if (!WebSocketUpgradeRequest.TryParse(firstBytes, out var request, out var headLength)
            || !request!.Path.StartsWith(_prefix, StringComparison.Ordinal)
            || !_accepting()
            || !server.TryTakeUpgrade(request, remoteAddress, out var upgrade))
        {
            return false;
        }
        taken = new TakenUpgrade(server, request, upgrade, headLength);
        return true;
    }

    /// <summary>The server side of a WebSocket over <paramref name="stream"/>, once its 101 was written.</summary>
    internal static WebSocket CreateWebSocket(Stream stream) =>
        // The session's transport owns the socket and disposes it; a socket the client failed with a bad frame stays
        // undisposed, so ending the connection afterwards closes it gracefully after its close frame.
        WebSocket.CreateFromStream(stream, new WebSocketCreationOptions
        {
            IsServer = true,
            // Engine.IO has its own heartbeat; WebSocket-level pings would only add traffic.
            KeepAliveInterval = TimeSpan.Zero,
        });

    /// <summary>The 101 answer to an accepted upgrade, head included.</summary>
    internal static byte[] SwitchingProtocolsResponse(string acceptKey)
    {
        var response = new byte[SwitchingProtocols.Length + acceptKey.Length + 4];
        SwitchingProtocols.CopyTo(response, 0);
        var written = SwitchingProtocols.Length + Encoding.ASCII.GetBytes(acceptKey, response.AsSpan(SwitchingProtocols.Length));
        "\r\n\r\n"u8.CopyTo(response.AsSpan(written));
        return response;
    }

    /// <summary>
    /// Reads until the first request's head is whole, examining without consuming, so Kestrel or the WebSocket then
    /// read the same bytes. The result holds the head (and whatever came with it), unconsumed; it is also returned,
    /// head or not, when the bytes cannot be an HTTP/1 request (Kestrel answers those at once), when
    /// <see cref="MaxWaitedHeadBytes"/> came without the head's end, or when the client finished sending. Null, with
    /// the read ended, when <paramref name="timeout"/> after <paramref name="started"/> passed first: a client that
    /// sends its head a byte at a time gains nothing, since the deadline does not move with what arrives.
    /// </summary>
    private static async ValueTask<ReadResult?> ReadHeadAsync(PipeReader input, DeadlineScheduler deadlines, long started, TimeSpan timeout)
    {
        // Never fires once the head is passed on: a cancellation left pending would end Kestrel's first read.
        var watch = new OnceDeadline<PipeReader>(input, static i => i.CancelPendingRead());
        deadlines.SetAt(watch, started, timeout);
        var searched = 0L;
        try
        {
            while (true)
            {
                var result = await input.ReadAsync().ConfigureAwait(false);
                var buffer = result.Buffer;
                if (watch.HasFired)
                {
                    // Cancelled by the deadline, or the deadline fired just as bytes came: either way too late. A
                    // cancellation not yet seen would end the next read, but nothing reads this connection again.
                    input.AdvanceTo(buffer.Start);
                    return null;
                }
                if (result.IsCompleted || buffer.Length >= MaxWaitedHeadBytes || IsHeadOrNotHttp(buffer, ref searched))
                {
                    if (watch.TryFinish())
                    {
                        return result;
                    }
                    // The deadline fired since the check above: too late all the same.
                    input.AdvanceTo(buffer.Start);
                    return null;
                }
                // Everything examined, nothing consumed: the next read waits for more bytes.
                input.AdvanceTo(buffer.Start, buffer.End);
            }
        }
        catch (Exception)
        {
            // The connection broke: the caller ends it.
            watch.TryFinish();
            throw;
        }
        finally
        {
            deadlines.Clear(watch);
        }
    }

    /// <summary>
    /// True when <paramref name="buffer"/> holds a whole request head, or cannot begin an HTTP/1 request (every method
    /// starts with an upper-case letter). A head ends at an empty line: <c>\r\n\r\n</c>, or <c>\n\n</c> from a
    /// client that ends lines with a bare LF, which Kestrel accepts too. <paramref name="searched"/> keeps how far an
    /// earlier call looked, so a head that arrives a byte at a time is searched once, not once per byte.
    /// </summary>
    private static bool IsHeadOrNotHttp(in ReadOnlySequence<byte> buffer, ref long searched)
    {
        if (buffer.IsEmpty)
        {
            return false;
        }
        var first = buffer.FirstSpan[0];
        if (first is < (byte)'A' or > (byte)'Z')
        {
            return true;
        }
        // Back by three bytes: the end of the line before may have come in the last read ("\r\n\r" then "\n").
        var from = Math.Max(0, searched - 3);
        searched = buffer.Length;
        var atLineStart = false;
        foreach (var segment in buffer.Slice(from))
        {
            foreach (var b in segment.Span)
            {
                if (b == (byte)'\n')
                {
                    if (atLineStart)
                    {
                        return true;
                    }
                    atLineStart = true;
                }
                else if (b != (byte)'\r' || !atLineStart)
                {
                    atLineStart = false;
                }
            }
        }
        return false;
    }

    private static async ValueTask WriteSwitchingProtocolsAsync(PipeWriter output, string acceptKey) =>
        await output.WriteAsync(SwitchingProtocolsResponse(acceptKey)).ConfigureAwait(false);
}
