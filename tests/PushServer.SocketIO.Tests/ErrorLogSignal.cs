using Microsoft.Extensions.Logging;

namespace PushServer.SocketIO.Tests;

/// <summary>Completes <see cref="Logged"/> with the exception of the first Error entry, so tests await a log instead of polling.</summary>
public sealed class ErrorLogSignal : ILoggerProvider
{
    private readonly TaskCompletionSource<(int EventId, Exception? Exception)> _logged = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<(int EventId, Exception? Exception)> Logged => _logged.Task;

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
    }

    private sealed class Logger(ErrorLogSignal owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel >= LogLevel.Error)
            {
                owner._logged.TrySetResult((eventId.Id, exception));
            }
        }
    }
}
