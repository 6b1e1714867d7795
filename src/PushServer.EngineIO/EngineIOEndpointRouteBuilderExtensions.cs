using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace PushServer.EngineIO;

/// <summary>Mounts Engine.IO endpoints on ASP.NET Core routing.</summary>
public static class EngineIOEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Serves Engine.IO under <paramref name="path"/> (e.g. <c>/engine.io</c>), reporting sessions to
    /// <paramref name="handler"/>.
    /// <code>app.MapEngineIO("/engine.io", new EchoHandler(), o =&gt; o.PingInterval = TimeSpan.FromSeconds(10));</code>
    /// </summary>
    public static IEndpointConventionBuilder MapEngineIO(
        this IEndpointRouteBuilder endpoints,
        string path,
        IEngineConnectionHandler handler,
        Action<EngineIOOptions>? configure = null)
    {
        var options = new EngineIOOptions();
        configure?.Invoke(options);
        var services = endpoints.ServiceProvider;
        var server = new EngineServer(
            handler,
            options,
            services.GetService<TimeProvider>() ?? TimeProvider.System,
            services.GetService<ILoggerFactory>());
        return endpoints.MapEngineIO(path, server);
    }

    /// <summary>Serves an existing <see cref="EngineServer"/> under <paramref name="path"/>.</summary>
    public static IEndpointConventionBuilder MapEngineIO(this IEndpointRouteBuilder endpoints, string path, EngineServer server)
    {
        ArgumentNullException.ThrowIfNull(server);
        var prefix = "/" + path.Trim('/') + "/";
        if (prefix == "//")
        {
            prefix = "/";
        }

        // The endpoint carries its own WebSocket middleware so hosts need not remember UseWebSockets().
        var pipeline = endpoints.CreateApplicationBuilder();
        pipeline.UseWebSockets();
        pipeline.Run(context =>
        {
            // Like the reference, only URLs under the path with its trailing slash are Engine.IO requests.
            if (!(context.Request.PathBase + context.Request.Path).Value!.StartsWith(prefix, StringComparison.Ordinal))
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }
            return server.HandleRequestAsync(context);
        });

        endpoints.ServiceProvider.GetService<IHostApplicationLifetime>()?.ApplicationStopping.Register(
            static state => ((EngineServer)state!).CloseAll(EngineCloseReason.ServerShuttingDown), server);

        return endpoints.Map(prefix + "{**rest}", pipeline.Build()).WithDisplayName("Engine.IO " + prefix);
    }
}
