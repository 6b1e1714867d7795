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
    public static ILoggerProvider Provider { get; } = new CollectingProvider();

    /// <summary>Every entry logged at <paramref name="minimum"/> or above since the process started.</summary>
    public static IReadOnlyList<TestLogEntry> AtLeast(LogLevel minimum) => Entries.Where(e => e.Level >= minimum).ToList();

    private sealed class CollectingProvider : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new CollectingLogger(categoryName);

        public void Dispose()
        {
        }
    }

    private sealed class CollectingLogger(string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel >= LogLevel.Information)
            {
                Entries.Enqueue(new TestLogEntry(logLevel, category, eventId.Id, formatter(state, exception), exception));
            }
        }
    }
}

/// <summary>One collected log entry.</summary>
public sealed record TestLogEntry(LogLevel Level, string Category, int EventId, string Message, Exception? Exception);
