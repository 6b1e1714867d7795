using System.Globalization;
using PushServer.Hosting;
using PushServer.Logging;
using Serilog.Events;
using Serilog.Formatting.Display;

namespace PushServer.Tests.Logging;

/// <summary>
/// The text console's escaping: whatever shape a value takes in an event, its control characters reach the line as
/// escapes, so every event is exactly one line.
/// </summary>
public sealed class ControlCharacterEscapingTests
{
    private const string Hostile = "a\nb\r\nc\td\u001B[31me\u0085f\u2028g\u2029h\u0000i\u007Fj";
    private const string Escaped = "a\\nb\\r\\nc\\td\\u001B[31me\\u0085f\\u2028g\\u2029h\\u0000i\\u007Fj";

    private static string Render(LogEvent logEvent)
    {
        var sink = new CollectingSink();
        new ControlCharacterEscapingSink(sink).Emit(logEvent);
        var output = new StringWriter(CultureInfo.InvariantCulture);
        new MessageTemplateTextFormatter(SerilogSetup.TextTemplate, CultureInfo.InvariantCulture).Format(Assert.Single(sink.Events), output);
        return output.ToString();
    }

    [Fact]
    public void Every_control_character_of_a_string_value_is_escaped()
    {
        var line = Render(LogEvents.Create("Namespace {Namespace} refused", ("Namespace", new ScalarValue(Hostile))));

        Assert.Equal("Namespace " + Escaped + " refused" + Environment.NewLine, line[line.IndexOf("Namespace", StringComparison.Ordinal)..]);
    }

    [Fact]
    public void Values_inside_sequences_structures_and_dictionaries_are_escaped()
    {
        var line = Render(LogEvents.Create(
            "{Rooms} {Auth} {Headers}",
            ("Rooms", new SequenceValue([new ScalarValue("ok"), new ScalarValue(Hostile)])),
            ("Auth", new StructureValue([new LogEventProperty("Token", new ScalarValue(Hostile))])),
            ("Headers", new DictionaryValue([new(new ScalarValue(Hostile), new ScalarValue(Hostile))]))));

        // Structured values render as JSON (the template's :j), which escapes the backslashes of the escapes again.
        AssertOneLine(line);
        Assert.Equal(4, line.Split(Escaped.Replace("\\", "\\\\", StringComparison.Ordinal)).Length - 1);
    }

    [Fact]
    public void Objects_rendered_through_ToString_and_single_characters_are_escaped()
    {
        var line = Render(LogEvents.Create(
            "{Endpoint} {Separator}",
            ("Endpoint", new ScalarValue(new Uri("http://example.invalid/x"))),
            ("Separator", new ScalarValue('\n'))));
        var hostileObject = Render(LogEvents.Create("{Value}", ("Value", new ScalarValue(new ClientValue(Hostile)))));

        AssertOneLine(line);
        Assert.Contains("http://example.invalid/x", line);
        Assert.Contains("\\n", line);
        AssertOneLine(hostileObject);
        Assert.EndsWith(Escaped + Environment.NewLine, hostileObject);
    }

    [Fact]
    public void A_template_built_from_a_value_is_escaped_too()
    {
        var line = Render(LogEvents.Create("Event " + Hostile + " from {Address}", ("Address", new ScalarValue("127.0.0.1"))));

        Assert.EndsWith("Event " + Escaped + " from 127.0.0.1" + Environment.NewLine, line);
    }

    [Fact]
    public void Values_without_control_characters_are_passed_as_they_are()
    {
        var value = new ScalarValue("/chat");
        var rooms = new SequenceValue([new ScalarValue("a"), new ScalarValue("b")]);
        var logEvent = LogEvents.Create("{Namespace} {Rooms} {Count}", ("Namespace", value), ("Rooms", rooms), ("Count", new ScalarValue(3)));
        var sink = new CollectingSink();

        new ControlCharacterEscapingSink(sink).Emit(logEvent);

        var passed = Assert.Single(sink.Events);
        Assert.Same(logEvent, passed);
        Assert.Same(value, passed.Properties["Namespace"]);
        Assert.Same(rooms, passed.Properties["Rooms"]);
    }

    private static void AssertOneLine(string line)
    {
        Assert.EndsWith(Environment.NewLine, line);
        Assert.DoesNotContain(line[..^Environment.NewLine.Length], c => char.IsControl(c) || c is '\u2028' or '\u2029');
    }

    private sealed record ClientValue(string Text)
    {
        public override string ToString() => Text;
    }
}
