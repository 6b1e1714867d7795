using PushServer.Configuration;
using PushServer.Logging;
using Serilog;
using Serilog.Configuration;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace PushServer.Hosting;

/// <summary>
/// Builds the Serilog logger from <see cref="LoggingSettings"/>. An event goes through the limiter of client-caused
/// lines (on the thread that logs), then into a bounded queue that never blocks, and one thread writes the queue to
/// the console: escaped text, or line-safe compact JSON.
/// </summary>
internal static class SerilogSetup
{
    private const string HostingDiagnosticsSource = "Microsoft.AspNetCore.Hosting.Diagnostics";

    /// <summary>A level above Fatal: nothing from the source is enabled, not even its Critical check.</summary>
    private const LogEventLevel Silent = LogEventLevel.Fatal + 1;

    /// <summary>The text format of one event: one line, then the exception if there is one.</summary>
    internal const string TextTemplate = "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}";

    /// <summary>
    /// How long a stopping server waits for queued lines to be written: a stuck output would otherwise keep the
    /// process from exiting.
    /// </summary>
    private static readonly TimeSpan FlushBudget = TimeSpan.FromSeconds(5);

    /// <summary>A console logger: readable text, or compact JSON (one event a line) for log collectors.</summary>
    /// <param name="settings">The <c>Logging</c> section.</param>
    /// <param name="time">The clock of the client-caused lines' windows.</param>
    /// <param name="stats">Receives the counts of dropped and suppressed events.</param>
    public static Logger CreateLogger(LoggingSettings settings, TimeProvider time, LogPipelineStats stats)
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

        var json = string.Equals(settings.Format, "json", StringComparison.OrdinalIgnoreCase);
        // The console sink writes synchronously; behind the queue only the queue's own thread ever waits for it.
        var queue = LoggerSinkConfiguration.CreateSink(w => w.Async(
            console =>
            {
                if (json)
                {
                    console.Console(new LineSafeJsonFormatter(new CompactJsonFormatter()));
                }
                else
                {
                    console.Sink(new ControlCharacterEscapingSink(LoggerSinkConfiguration.CreateSink(c => c.Console(
                        outputTemplate: TextTemplate, formatProvider: System.Globalization.CultureInfo.InvariantCulture))));
                }
            },
            bufferSize: settings.MaxQueuedEvents,
            blockWhenFull: false,
            monitor: stats));
        var limiter = new ClientEventLimiter(
            new BoundedDisposalSink(queue, FlushBudget),
            ClientCausedEvents.Ids,
            settings.ClientEventLimit,
            TimeSpan.FromSeconds(settings.ClientEventWindowSeconds),
            time);
        stats.Limiter = limiter;
        configuration.WriteTo.Sink(limiter);
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
