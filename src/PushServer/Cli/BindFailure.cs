using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using PushServer.Configuration;

namespace PushServer.Cli;

/// <summary>
/// Turns a listener that could not bind into one line naming the port, its address, why, and the key and flag that set
/// it: "cannot listen on 127.0.0.1:2024 for Socket.IO clients: address already in use (Server:Port, --port)".
/// </summary>
internal static class BindFailure
{
    private sealed record Listener(string What, string Key, string Flag, string Bind, int Port);

    /// <summary>Whether <paramref name="ex"/> or an inner exception says a listener could not bind.</summary>
    public static bool IsBindFailure(Exception ex)
    {
        for (var e = ex; e is not null; e = e.InnerException)
        {
            if (e is AddressInUseException
                || e is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse or SocketError.AddressNotAvailable or SocketError.AccessDenied })
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The line for <paramref name="failure"/>, without the <c>pushserver: </c> prefix.</summary>
    public static string Describe(Exception failure, ServerSettings server, PushApiSettings push)
    {
        var reason = Reason(failure);
        Listener[] listeners =
        [
            new("Socket.IO clients", "Server:Port", "--port", server.Bind, server.Port),
            new("the push API", "PushApi:Port", "--push-port", push.Bind, push.Port),
        ];
        var failed = NamedIn(failure, listeners) ?? listeners.FirstOrDefault(IsTaken);
        if (failed is null)
        {
            return $"cannot listen: {reason} (Server:Port {server.Port}, --port; PushApi:Port {push.Port}, --push-port)";
        }
        return $"cannot listen on {EndPoint(failed)} for {failed.What}: {reason} ({failed.Key}, {failed.Flag})";
    }

    /// <summary>
    /// The listener Kestrel's message names ("Failed to bind to address http://127.0.0.1:9191: address already in use."),
    /// when it does. The Engine.IO listener on the Socket.IO port binds its socket itself and fails with the bare socket
    /// error, which names no address.
    /// </summary>
    private static Listener? NamedIn(Exception failure, Listener[] listeners)
    {
        for (var e = failure; e is not null; e = e.InnerException)
        {
            var named = listeners.Where(l => l.Port != 0 && e.Message.Contains($":{l.Port}:", StringComparison.Ordinal)).ToList();
            if (named.Count == 1)
            {
                return named[0];
            }
        }
        return null;
    }

    /// <summary>
    /// Whether the listener's address cannot be bound now. Asked only after the start failed, when Kestrel has released
    /// whatever it had bound, so the one that fails is the one that is taken.
    /// </summary>
    private static bool IsTaken(Listener listener)
    {
        if (listener.Port == 0 || !BindAddress.TryParse(listener.Bind, out var bind))
        {
            return false;
        }
        var address = bind.ListenAddress;
        try
        {
            using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            if (address.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true;
            }
            socket.Bind(new IPEndPoint(address, listener.Port));
            return false;
        }
        catch (SocketException)
        {
            return true;
        }
    }

    private static string EndPoint(Listener listener) =>
        BindAddress.TryParse(listener.Bind, out var bind)
            ? new IPEndPoint(bind.ListenAddress, listener.Port).ToString()
            : $"{listener.Bind}:{listener.Port}";

    /// <summary>The socket's own words ("address already in use"), not the wrapping messages.</summary>
    private static string Reason(Exception failure)
    {
        Exception innermost = failure;
        for (var e = failure; e is not null; e = e.InnerException)
        {
            if (e is SocketException or AddressInUseException)
            {
                innermost = e;
            }
        }
        var text = innermost.Message.TrimEnd('.');
        return text.Length > 0 ? char.ToLowerInvariant(text[0]) + text[1..] : text;
    }
}
