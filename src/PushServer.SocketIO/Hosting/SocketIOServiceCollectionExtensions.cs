using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using PushServer.EngineIO;
using PushServer.SocketIO;
using PushServer.SocketIO.Adapters;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Socket.IO server.</summary>
public static class SocketIOServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="SocketIOServer"/> with the in-memory adapter (replace <see cref="ISocketIOAdapterFactory"/> for
    /// a cluster adapter) and the system clock (replace <see cref="TimeProvider"/> in tests). Options are validated at start.
    /// </summary>
    public static IServiceCollection AddSocketIO(this IServiceCollection services, Action<SocketIOOptions>? configure = null)
    {
        var options = services.AddOptions<SocketIOOptions>().ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SocketIOOptions>, SocketIOOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ISocketIOAdapterFactory, InMemoryAdapterFactory>();
        services.TryAddSingleton<SocketIOServer>();
        services.TryAddSingleton<IEngineConnectionHandler>(sp => sp.GetRequiredService<SocketIOServer>().ConnectionHandler);
        return services;
    }
}
