using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace PushServer.Testing;

/// <summary>
/// Appends what a server under test logs at <paramref name="recordFrom"/> or above to a queue the test reads. Debug is
/// always enabled, so the server formats its Debug lines too and a line that throws while formatting shows up.
/// </summary>
public sealed class QueueLoggerProvider(ConcurrentQueue<TestLogEntry> entries, LogLevel recordFrom = LogLevel.Trace) : ILoggerProvider
{
    /// <inheritdoc />
    public ILogger CreateLogger(string categoryName) => new QueueLogger(categoryName, entries, recordFrom);

    /// <inheritdoc />
    public void Dispose()
    {
    }

    private sealed class QueueLogger(string category, ConcurrentQueue<TestLogEntry> entries, LogLevel recordFrom) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug || logLevel >= recordFrom;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel >= recordFrom)
            {
                entries.Enqueue(new TestLogEntry(logLevel, category, eventId.Id, formatter(state, exception), exception));
            }
        }
    }
}
