using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PushServer.Configuration;
using PushServer.Logging;
using Serilog;

namespace PushServer.Hosting;

/// <summary>Start-up step: Serilog as the only logging provider.</summary>
internal static class PushServerLoggingExtensions
{
    /// <summary>
    /// Replaces the default providers with Serilog, configured from the <c>Logging</c> section, and registers the
    /// pipeline's counters (<see cref="LogPipelineStats"/>) for the metrics.
    /// </summary>
    public static WebApplicationBuilder AddPushServerLogging(this WebApplicationBuilder builder, LoadedConfiguration loaded)
    {
        var logging = loaded.Section<LoggingSettings>(LoggingSettings.Section);
        builder.Logging.ClearProviders();
        var logStats = new LogPipelineStats();
        builder.Services.AddSingleton(logStats);
        // The system clock: the logger exists before the container, and its windows only pace summary lines.
        builder.Services.AddSerilog(SerilogSetup.CreateLogger(logging, TimeProvider.System, logStats), dispose: true);
        return builder;
    }
}
