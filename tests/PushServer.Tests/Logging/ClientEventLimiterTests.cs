using Microsoft.Extensions.Time.Testing;
using PushServer.Logging;
using Serilog.Events;

namespace PushServer.Tests.Logging;

/// <summary>
/// The limiter of client-caused lines on virtual time: a few lines per reason and window, then one summary per
/// window with the count of the rest, reasons apart, everything else untouched.
/// </summary>
public sealed class ClientEventLimiterTests
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(10);

    private readonly FakeTimeProvider _time = new();
    private readonly CollectingSink _sink = new();

    private ClientEventLimiter CreateLimiter(int limit = 3) => new(_sink, [1013, 3002], limit, Window, _time);

    private static int Suppressed(LogEvent summary) => Convert.ToInt32(((ScalarValue)summary.Properties["Suppressed"]).Value);

    private static string Text(LogEvent logEvent)
    {
        var output = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        new Serilog.Formatting.Display.MessageTemplateTextFormatter("{Message:lj}", System.Globalization.CultureInfo.InvariantCulture).Format(logEvent, output);
        return output.ToString();
    }

    private List<LogEvent> Summaries() => _sink.Events.Where(e => e.Properties.ContainsKey("Suppressed")).ToList();

    [Fact]
    public void Past_the_limit_a_reason_is_counted_and_summarised_when_its_window_ends()
    {
        using var limiter = CreateLimiter();
        for (var i = 0; i < 10; i++)
        {
            limiter.Emit(LogEvents.WithId(1013, "LimitRefused"));
        }

        Assert.Equal(3, _sink.Events.Count);
        Assert.Equal(7, limiter.SuppressedTotal);
        Assert.Empty(Summaries());

        _time.Advance(Window);

        var summary = Assert.Single(Summaries());
        Assert.Equal(7, Suppressed(summary));
        Assert.Equal("7 more LimitRefused lines (event 1013) suppressed in the last 10 s", Text(summary));
        Assert.Equal("PushServer.EngineIO", ((ScalarValue)summary.Properties["SourceContext"]).Value);
        Assert.Equal(LogEventLevel.Information, summary.Level);

        // A new window lets the reason through again, and a quiet window writes no summary.
        limiter.Emit(LogEvents.WithId(1013, "LimitRefused"));
        Assert.Equal(5, _sink.Events.Count);
        _time.Advance(Window);
        Assert.Single(Summaries());
    }

    [Fact]
    public void Reasons_are_limited_apart_and_other_events_pass_untouched()
    {
        using var limiter = CreateLimiter(limit: 1);
        for (var i = 0; i < 5; i++)
        {
            limiter.Emit(LogEvents.WithId(1013, "LimitRefused"));
            limiter.Emit(LogEvents.WithId(3002, "ProtocolViolation", "PushServer.SocketIO.SocketIOServer", LogEventLevel.Debug));
            limiter.Emit(LogEvents.WithId(4010, "PushHandled", "PushServer.PushApi.PushApiHandler"));
            // The same id from someone else's source is not ours to limit.
            limiter.Emit(LogEvents.WithId(1013, "Other", "Microsoft.AspNetCore.Server.Kestrel"));
            limiter.Emit(LogEvents.Create("No id"));
        }

        Assert.Equal(1 + 1 + 5 + 5 + 5, _sink.Events.Count);
        _time.Advance(Window);
        var summaries = Summaries().ToDictionary(e => (int)((ScalarValue)e.Properties["SuppressedEventId"]).Value!);
        Assert.Equal(2, summaries.Count);
        Assert.Equal(4, Suppressed(summaries[1013]));
        Assert.Equal(4, Suppressed(summaries[3002]));
        Assert.Equal(LogEventLevel.Debug, summaries[3002].Level);
    }

    [Fact]
    public void Disposing_summarises_the_open_window_and_disposes_the_sink_behind()
    {
        var limiter = CreateLimiter(limit: 2);
        for (var i = 0; i < 5; i++)
        {
            limiter.Emit(LogEvents.WithId(1013, "LimitRefused"));
        }
        _time.Advance(TimeSpan.FromSeconds(4));

        limiter.Dispose();

        var summary = Assert.Single(Summaries());
        Assert.Equal("3 more LimitRefused lines (event 1013) suppressed in the last 4 s", Text(summary));
        Assert.True(_sink.Disposed);
        _time.Advance(Window);
        Assert.Single(Summaries());
    }

    [Fact]
    public void A_limit_of_zero_lets_every_event_through()
    {
        using var limiter = CreateLimiter(limit: 0);
        for (var i = 0; i < 100; i++)
        {
            limiter.Emit(LogEvents.WithId(1013, "LimitRefused"));
        }
        _time.Advance(Window);

        Assert.Equal(100, _sink.Events.Count);
        Assert.Equal(0, limiter.SuppressedTotal);
    }
}
