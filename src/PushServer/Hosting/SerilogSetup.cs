using PushServer.Configuration;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace PushServer.Hosting;

/// <summary>Builds the Serilog logger from <see cref="LoggingSettings"/>.</summary>
internal static class SerilogSetup
{
    private const string HostingDiagnosticsSource = "Microsoft.AspNetCore.Hosting.Diagnostics";

    /// <summary>A level above Fatal: nothing from the source is enabled, not even its Critical check.</summary>
    private const LogEventLevel Silent = LogEventLevel.Fatal + 1;

    private const string TextTemplate = "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}";

    /// <summary>A console logger: readable text, or compact JSON (one event a line) for log collectors.</summary>
    public static Serilog.Core.Logger CreateLogger(LoggingSettings settings)
    {
        var configuration = new LoggerConfiguration()
            .MinimumLevel.Is(ParseLevel(settings.Level))
            .Enrich.FromLogContext()
            // Start-up failures are reported once, as a single line on stderr, by the start command.
            .Filter.ByExcluding(IsHostStartFailure);
        // ASP.NET Core starts an Activity and a log scope for every request whenever its hosting diagnostics logger
        // is enabled at any level, and a WebSocket keeps its upgrade request, so both would stay alive for every
        // connection (with their dictionaries, about 2 KB of RSS per idle connection at 10,000). That logger only writes "Request starting/finished" lines, so it is off
        // unless an override names it.
        configuration.MinimumLevel.Override(HostingDiagnosticsSource, Silent);
        foreach (var (source, level) in settings.Overrides)
        {
            configuration.MinimumLevel.Override(source, ParseLevel(level));
        }
        if (string.Equals(settings.Format, "json", StringComparison.OrdinalIgnoreCase))
        {
            configuration.WriteTo.Console(new CompactJsonFormatter());
        }
        else
        {
            configuration.WriteTo.Console(outputTemplate: TextTemplate, formatProvider: System.Globalization.CultureInfo.InvariantCulture);
        }
        return configuration.CreateLogger();
    }

    /// <summary>Maps Serilog's and Microsoft.Extensions.Logging's level names.</summary>
    public static LogEventLevel ParseLevel(string level) => level.ToLowerInvariant() switch
    {
        "verbose" or "trace" => LogEventLevel.Verbose,
        "debug" => LogEventLevel.Debug,
        "warning" => LogEventLevel.Warning,
        "error" => LogEventLevel.Error,
        "fatal" or "critical" => LogEventLevel.Fatal,
        _ => LogEventLevel.Information,
    };

    private static bool IsHostStartFailure(LogEvent e) =>
        e.Properties.TryGetValue("SourceContext", out var source)
        && source is ScalarValue { Value: "Microsoft.Extensions.Hosting.Internal.Host" }
        && e.Level >= LogEventLevel.Error
        && e.MessageTemplate.Text.StartsWith("Hosting failed to start", StringComparison.Ordinal);
}
