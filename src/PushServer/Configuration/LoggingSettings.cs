namespace PushServer.Configuration;

/// <summary>Log settings (section <c>Logging</c>).</summary>
internal sealed class LoggingSettings
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Logging";

    /// <summary>Information shows start-up, pushes and client mistakes; connection events need Debug.</summary>
    public const string DefaultLevel = "Information";

    /// <summary>Minimum level: Verbose, Debug, Information, Warning, Error or Fatal.</summary>
    public string Level { get; set; } = DefaultLevel;

    /// <summary><c>text</c> (readable console) or <c>json</c> (compact JSON, one event a line).</summary>
    public string Format { get; set; } = "text";

    /// <summary>
    /// Events waiting to be written. Requests never wait for the output: a queue in front of it takes each event and
    /// one thread writes them, so a slow or stuck output (a pipe nobody reads) costs at most this many events of
    /// memory (about 1 KB each) and then drops, counting the drops in <c>pushserver_log_events_dropped_total</c>.
    /// Serilog's own default: a burst of ten thousand lines rides out a reader's pause.
    /// </summary>
    public int MaxQueuedEvents { get; set; } = DefaultMaxQueuedEvents;

    /// <summary>Default of <see cref="MaxQueuedEvents"/>.</summary>
    public const int DefaultMaxQueuedEvents = 10_000;

    /// <summary>
    /// Lines per reason per window for events a client causes (refusals, protocol violations, limits, slow clients);
    /// the rest are counted in one summary line per window. 0 logs them all. Ten a window show what is going on and
    /// who (addresses, sessions) without letting one client's flood bury the log.
    /// </summary>
    public int ClientEventLimit { get; set; } = DefaultClientEventLimit;

    /// <summary>Default of <see cref="ClientEventLimit"/>.</summary>
    public const int DefaultClientEventLimit = 10;

    /// <summary>The window of <see cref="ClientEventLimit"/>, in seconds: how often a flood is summarised.</summary>
    public int ClientEventWindowSeconds { get; set; } = DefaultClientEventWindowSeconds;

    /// <summary>Default of <see cref="ClientEventWindowSeconds"/>.</summary>
    public const int DefaultClientEventWindowSeconds = 10;

    /// <summary>
    /// Levels per source (logger category prefix). ASP.NET Core's request logs default to Warning because every
    /// long-poll would otherwise log two lines.
    /// </summary>
    public Dictionary<string, string> Overrides { get; set; } = new(StringComparer.Ordinal)
    {
        ["Microsoft.AspNetCore"] = "Warning",
        ["Microsoft.Hosting.Lifetime"] = "Information",
    };
}
