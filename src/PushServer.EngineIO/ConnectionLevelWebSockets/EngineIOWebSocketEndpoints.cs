using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace PushServer.EngineIO.ConnectionLevelWebSockets;

/// <summary>
/// The Kestrel endpoints that accept Engine.IO WebSockets, each with its acceptor: filled by
/// <see cref="EngineIOConnectionBuilderExtensions.UseEngineIOWebSockets"/>, read by
/// <see cref="EngineIOSocketTransportFactory"/> when Kestrel binds.
/// </summary>
internal sealed class EngineIOWebSocketEndpoints
{
    private readonly List<(ListenOptions Listen, ConnectionWebSocketAcceptor Acceptor)> _endpoints = [];

    public void Add(ListenOptions listen, ConnectionWebSocketAcceptor acceptor)
    {
        lock (_endpoints)
        {
            _endpoints.Add((listen, acceptor));
        }
    }

    /// <summary>
    /// The acceptor of the endpoint being bound. Kestrel binds with the very <see cref="EndPoint"/> object of the
    /// endpoint's <see cref="ListenOptions"/> (and replaces it with the bound one afterwards), so identity tells two
    /// endpoints apart even when both ask for port 0.
    /// </summary>
    public ConnectionWebSocketAcceptor? Find(EndPoint endpoint)
    {
        lock (_endpoints)
        {
            foreach (var (listen, acceptor) in _endpoints)
            {
                if (ReferenceEquals(listen.EndPoint, endpoint))
                {
                    return acceptor;
                }
            }
        }
        return null;
    }
}
