using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace PushServer.Testing;

/// <summary>
/// Collects what servers under test log, so tests can assert that a client's mistake logged nothing above
/// Information and that no fault of ours was logged as an Error.
/// </summary>
public static class TestLog
{
    private static readonly ConcurrentQueue<TestLogEntry> Entries = new();

    /// <summary>The provider test servers log to.</summary>
    public static ILoggerProvider Provider { get; } = new QueueLoggerProvider(Entries, LogLevel.Information);

    /// <summary>Every entry logged at <paramref name="minimum"/> or above since the process started.</summary>
    public static IReadOnlyList<TestLogEntry> AtLeast(LogLevel minimum) => Entries.Where(e => e.Level >= minimum).ToList();
}

/// <summary>One collected log entry.</summary>
public sealed record TestLogEntry(LogLevel Level, string Category, int EventId, string Message, Exception? Exception);
