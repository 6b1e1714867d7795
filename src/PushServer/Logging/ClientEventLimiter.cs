using System.Collections.Frozen;
using Serilog.Core;
using Serilog.Events;
using Serilog.Parsing;

namespace PushServer.Logging;

/// <summary>
/// Lets through at most <c>limit</c> events of each client-caused reason (event id, see
/// <see cref="ClientCausedEvents"/>) per window, counts the rest, and at the end of each window writes one summary
/// per reason that had any suppressed: "1990 more LimitRefused lines (event 1013) suppressed in the last 10 s". So
/// one client's flood costs a few lines a window, and every event is still accounted for. State is one counter pair
/// per listed id, fixed at start-up, whoever the clients are; a window is ended by one timer, and the window still
/// open is summarised when the logger is disposed.
/// </summary>
internal sealed class ClientEventLimiter : ILogEventSink, IDisposable
{
    private const string OurSources = "PushServer";

    private static readonly MessageTemplate SummaryTemplate = new MessageTemplateParser().Parse(
        "{Suppressed} more {Event} lines (event {SuppressedEventId}) suppressed in the last {Seconds} s");

    private static readonly LogEventProperty SummaryEventId = new("EventId", new StructureValue(
    [
        new LogEventProperty("Id", new ScalarValue(PushServerEventIds.ClientLinesSuppressed)),
        new LogEventProperty("Name", new ScalarValue("ClientLinesSuppressed")),
    ]));

    private readonly ILogEventSink _inner;
    private readonly int _limit;
    private readonly TimeProvider _time;
    private readonly FrozenDictionary<int, Reason> _reasons;
    private readonly ITimer _timer;
    private readonly Lock _windowLock = new();
    private long _windowStarted;
    private long _suppressedTotal;
    private bool _disposed;

    /// <summary>Limits <paramref name="eventIds"/> to <paramref name="limit"/> a <paramref name="window"/>; 0 lets all through.</summary>
    public ClientEventLimiter(ILogEventSink inner, IEnumerable<int> eventIds, int limit, TimeSpan window, TimeProvider time)
    {
        _inner = inner;
        _limit = limit;
        _time = time;
        _reasons = eventIds.Distinct().ToFrozenDictionary(id => id, id => new Reason(id));
        _windowStarted = time.GetTimestamp();
        _timer = time.CreateTimer(static state => ((ClientEventLimiter)state!).EndWindow(), this, window, window);
    }

    /// <summary>Events suppressed since start-up.</summary>
    public long SuppressedTotal => Interlocked.Read(ref _suppressedTotal);

    /// <inheritdoc />
    public void Emit(LogEvent logEvent)
    {
        if (_limit > 0 && ReasonOf(logEvent) is { } reason && !reason.TryLog(_limit, logEvent))
        {
            Interlocked.Increment(ref _suppressedTotal);
            return;
        }
        _inner.Emit(logEvent);
    }

    /// <summary>Summarises the window still open, then disposes the sinks behind.</summary>
    public void Dispose()
    {
        lock (_windowLock)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
        }
        _timer.Dispose();
        EndWindow(final: true);
        (_inner as IDisposable)?.Dispose();
    }

    private Reason? ReasonOf(LogEvent logEvent)
    {
        // Serilog's Microsoft.Extensions.Logging bridge carries the id as EventId { Id, Name }.
        if (!logEvent.Properties.TryGetValue("EventId", out var eventId)
            || eventId is not StructureValue { Properties: [{ Name: "Id", Value: ScalarValue { Value: int id } }, ..] }
            || !_reasons.TryGetValue(id, out var reason))
        {
            return null;
        }
        // Ids are unique within our own layers only.
        return logEvent.Properties.TryGetValue("SourceContext", out var source)
            && source is ScalarValue { Value: string name }
            && name.StartsWith(OurSources, StringComparison.Ordinal)
            ? reason
            : null;
    }

    private void EndWindow() => EndWindow(final: false);

    private void EndWindow(bool final)
    {
        lock (_windowLock)
        {
            if (_disposed && !final)
            {
                return;
            }
            var now = _time.GetTimestamp();
            // Whole seconds, as the window is set; the last window, cut short at disposal, counts as at least one.
            var seconds = Math.Max(1, (int)Math.Round(_time.GetElapsedTime(_windowStarted, now).TotalSeconds));
            _windowStarted = now;
            foreach (var reason in _reasons.Values)
            {
                var suppressed = reason.EndWindow();
                if (suppressed > 0)
                {
                    _inner.Emit(Summary(reason, suppressed, seconds));
                }
            }
        }
    }

    private LogEvent Summary(Reason reason, long suppressed, int seconds) => new(
        _time.GetLocalNow(),
        reason.Level,
        exception: null,
        SummaryTemplate,
        [
            new LogEventProperty("Suppressed", new ScalarValue(suppressed)),
            new LogEventProperty("Event", new ScalarValue(reason.Name)),
            new LogEventProperty("SuppressedEventId", new ScalarValue(reason.Id)),
            new LogEventProperty("Seconds", new ScalarValue(seconds)),
            new LogEventProperty("SourceContext", new ScalarValue(reason.Source)),
            SummaryEventId,
        ]);

    /// <summary>One reason's counts in the current window.</summary>
    private sealed class Reason(int id)
    {
        private int _logged;
        private long _suppressed;

        public int Id { get; } = id;

        // What the summary says: taken from the suppressed events (all of one id, so all alike).
        public string Name { get; private set; } = id.ToString(System.Globalization.CultureInfo.InvariantCulture);

        public string Source { get; private set; } = OurSources;

        public LogEventLevel Level { get; private set; } = LogEventLevel.Information;

        public bool TryLog(int limit, LogEvent logEvent)
        {
            if (Interlocked.Increment(ref _logged) <= limit)
            {
                return true;
            }
            if (Interlocked.Increment(ref _suppressed) == 1)
            {
                Level = logEvent.Level;
                if (logEvent.Properties["EventId"] is StructureValue { Properties: [_, { Name: "Name", Value: ScalarValue { Value: string name } }, ..] })
                {
                    Name = name;
                }
                if (logEvent.Properties["SourceContext"] is ScalarValue { Value: string source })
                {
                    Source = source;
                }
            }
            return false;
        }

        /// <summary>Starts a new window; returns how many were suppressed in the one that ended.</summary>
        public long EndWindow()
        {
            Interlocked.Exchange(ref _logged, 0);
            return Interlocked.Exchange(ref _suppressed, 0);
        }
    }
}
