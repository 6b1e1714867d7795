using System.Globalization;
using PushServer.Logging;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace PushServer.Tests.Logging;

/// <summary>The JSON console: one event a line whatever its strings hold, and the values a collector parses unchanged.</summary>
public sealed class LineSafeJsonFormatterTests
{
    [Fact]
    public void Line_breaking_characters_are_escaped_and_parse_back_to_the_value()
    {
        const string hostile = "a\nb\r\u0085c\u2028d\u2029e\u001Bf\u009Fg";
        var output = new StringWriter(CultureInfo.InvariantCulture);

        new LineSafeJsonFormatter(new CompactJsonFormatter()).Format(
            LogEvents.Create("Namespace " + hostile + " {Namespace}", ("Namespace", new ScalarValue(hostile))), output);

        var text = output.ToString();
        var line = Assert.Single(text.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.DoesNotContain(text.TrimEnd('\n'), c => c is '\r' or '\u0085' or '\u2028' or '\u2029' || char.IsControl(c));
        var parsed = JsonDocument.Parse(line).RootElement;
        Assert.Equal(hostile, parsed.GetProperty("Namespace").GetString());
        Assert.Equal("Namespace " + hostile + " {Namespace}", parsed.GetProperty("@mt").GetString());
    }
}
