namespace PushServer.Configuration;

/// <summary>Graceful shutdown (section <c>Shutdown</c>).</summary>
internal sealed class ShutdownSettings
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Shutdown";

    /// <summary>
    /// Container runtimes send SIGKILL 10 s after SIGTERM; 8 s leaves room to flush queues, close every client and exit
    /// before that.
    /// </summary>
    public const int DefaultDrainSeconds = 8;

    /// <summary>Seconds from SIGTERM to process exit, spent flushing and closing clients.</summary>
    public double DrainSeconds { get; set; } = DefaultDrainSeconds;

    /// <summary>The drain budget as a duration.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public TimeSpan DrainBudget => TimeSpan.FromSeconds(DrainSeconds);
}
