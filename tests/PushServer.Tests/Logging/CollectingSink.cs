using System.Collections.Concurrent;
using Serilog.Core;
using Serilog.Events;

namespace PushServer.Tests.Logging;

/// <summary>Keeps every event it is given, and whether it was disposed.</summary>
internal sealed class CollectingSink : ILogEventSink, IDisposable
{
    private readonly ConcurrentQueue<LogEvent> _events = new();

    public IReadOnlyList<LogEvent> Events => [.. _events];

    public bool Disposed { get; private set; }

    public void Emit(LogEvent logEvent) => _events.Enqueue(logEvent);

    public void Dispose() => Disposed = true;
}
