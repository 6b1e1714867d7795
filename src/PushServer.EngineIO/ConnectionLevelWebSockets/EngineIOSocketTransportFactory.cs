using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace PushServer.EngineIO.ConnectionLevelWebSockets;

/// <summary>
/// Kestrel's socket transport, except on the endpoints whose connections accept Engine.IO WebSockets
/// (<see cref="EngineIOConnectionBuilderExtensions.UseEngineIOWebSockets"/>): those get an
/// <see cref="UpgradeSniffingListener"/>, which serves accepted WebSockets on the bare socket and hands every other
/// connection to Kestrel's transport as it would have been.
/// </summary>
internal sealed class EngineIOSocketTransportFactory : IConnectionListenerFactory, IConnectionListenerFactorySelector
{
    private readonly SocketTransportFactory _kestrel;
    private readonly SocketTransportOptions _options;
    private readonly EngineIOWebSocketEndpoints _endpoints;
    private readonly ILoggerFactory _loggerFactory;

    public EngineIOSocketTransportFactory(IOptions<SocketTransportOptions> options, EngineIOWebSocketEndpoints endpoints, ILoggerFactory loggerFactory)
    {
        _kestrel = new SocketTransportFactory(options, loggerFactory);
        _options = options.Value;
        _endpoints = endpoints;
        _loggerFactory = loggerFactory;
    }

    public bool CanBind(EndPoint endpoint) => _kestrel.CanBind(endpoint);

    public ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
    {
        if (endpoint is not IPEndPoint || _endpoints.Find(endpoint) is not { } acceptor)
        {
            return _kestrel.BindAsync(endpoint, cancellationToken);
        }
        var handOff = new SocketConnectionContextFactory(
            new SocketConnectionFactoryOptions
            {
                IOQueueCount = _options.IOQueueCount,
                WaitForDataBeforeAllocatingBuffer = _options.WaitForDataBeforeAllocatingBuffer,
                MaxReadBufferSize = _options.MaxReadBufferSize,
                MaxWriteBufferSize = _options.MaxWriteBufferSize,
                UnsafePreferInlineScheduling = _options.UnsafePreferInlineScheduling,
            },
            _loggerFactory.CreateLogger("Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets"));
        var logger = _loggerFactory.CreateLogger("PushServer.EngineIO.Listener");
        return new ValueTask<IConnectionListener>(new UpgradeSniffingListener(endpoint, _options, acceptor, handOff, logger));
    }
}
