using Serilog.Events;
using Serilog.Parsing;

namespace PushServer.Tests.Logging;

/// <summary>Log events shaped as Serilog's Microsoft.Extensions.Logging bridge makes them.</summary>
internal static class LogEvents
{
    private static readonly MessageTemplateParser Parser = new();

    public static LogEvent Create(string template, params (string Name, LogEventPropertyValue Value)[] properties) =>
        new(DateTimeOffset.UnixEpoch, LogEventLevel.Information, null, Parser.Parse(template),
            properties.Select(p => new LogEventProperty(p.Name, p.Value)));

    public static LogEvent WithId(int id, string name, string source = "PushServer.EngineIO", LogEventLevel level = LogEventLevel.Information) =>
        new(DateTimeOffset.UnixEpoch, level, null, Parser.Parse("Refused {Address}"),
        [
            new LogEventProperty("Address", new ScalarValue("127.0.0.1")),
            new LogEventProperty("EventId", new StructureValue(
            [
                new LogEventProperty("Id", new ScalarValue(id)),
                new LogEventProperty("Name", new ScalarValue(name)),
            ])),
            new LogEventProperty("SourceContext", new ScalarValue(source)),
        ]);
}
