using Microsoft.Extensions.Logging;
using PushServer.EngineIO.Hosting;

namespace PushServer.EngineIO.Tests.Handshakes;

public class RefusedOriginLogTests
{
    [Fact]
    public void Each_refused_origin_is_logged_once_at_Warning_with_the_advice()
    {
        var logger = new ListLogger();
        var log = new RefusedOriginLog(logger, "list it in Key:Name");

        log.Refused("http://a.example", "server:2024");
        log.Refused("http://a.example", "server:2024");
        log.Refused("HTTP://A.EXAMPLE", "server:2024");
        log.Refused("http://b.example", "server:2024");

        Assert.Equal(2, logger.Lines.Count);
        Assert.All(logger.Lines, l => Assert.Equal(LogLevel.Warning, l.Level));
        Assert.Contains("http://a.example", logger.Lines[0].Message);
        Assert.Contains("server:2024", logger.Lines[0].Message);
        Assert.Contains("list it in Key:Name", logger.Lines[0].Message);
        Assert.Contains("http://b.example", logger.Lines[1].Message);
    }

    [Fact]
    public void Past_the_bound_one_line_says_so_and_new_origins_are_no_longer_logged()
    {
        var logger = new ListLogger();
        var log = new RefusedOriginLog(logger, "advice");

        for (var i = 0; i < RefusedOriginLog.MaxOrigins + 50; i++)
        {
            log.Refused($"http://site{i}.example", "server");
        }
        log.Refused("http://site0.example", "server");

        Assert.Equal(RefusedOriginLog.MaxOrigins + 1, logger.Lines.Count);
        Assert.Contains($"{RefusedOriginLog.MaxOrigins} distinct refused origins", logger.Lines[^1].Message);
        Assert.DoesNotContain(logger.Lines, l => l.Message.Contains($"site{RefusedOriginLog.MaxOrigins}.example", StringComparison.Ordinal));
    }

    [Fact]
    public void Long_origins_are_remembered_by_their_start_only()
    {
        var logger = new ListLogger();
        var log = new RefusedOriginLog(logger, "advice");
        var start = "http://" + new string('a', RefusedOriginLog.MaxOriginLength);

        log.Refused(start + "1", "server");
        log.Refused(start + "2", "server");

        Assert.Single(logger.Lines);
    }

    private sealed class ListLogger : ILogger
    {
        public List<(LogLevel Level, string Message)> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Add((logLevel, formatter(state, exception)));
    }
}
