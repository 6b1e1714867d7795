using Microsoft.Extensions.DependencyInjection;

namespace PushServer.PushApi;

/// <summary>Start-up step: the services behind the push API's endpoints (<see cref="PushApiEndpoints"/>).</summary>
internal static class PushApiServiceExtensions
{
    /// <summary>Registers the executor every push request runs through and the handler every endpoint calls.</summary>
    public static IServiceCollection AddPushServerPushApi(this IServiceCollection services)
    {
        services.AddSingleton<PushExecutor>();
        services.AddSingleton<PushApiHandler>();
        return services;
    }
}
