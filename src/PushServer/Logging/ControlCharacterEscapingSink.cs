using Serilog.Core;
using Serilog.Events;
using Serilog.Parsing;

namespace PushServer.Logging;

/// <summary>
/// In front of the text console: escapes control characters (see <see cref="LogText"/>) in every property value,
/// however deeply structured, and in the message template, so a value a client chose (a namespace, an event or room
/// name, a header, a push API field) can neither start a line of its own nor send terminal escape sequences. The
/// exception, whose stack trace spans lines by design, is written as it is. JSON output needs none of this: its
/// strings are escaped by the JSON formatter (see <see cref="LineSafeJsonFormatter"/>).
/// </summary>
internal sealed class ControlCharacterEscapingSink(ILogEventSink inner) : ILogEventSink, IDisposable
{
    private static readonly MessageTemplateParser Parser = new();

    /// <inheritdoc />
    public void Emit(LogEvent logEvent)
    {
        List<LogEventProperty>? escaped = null;
        foreach (var (name, value) in logEvent.Properties)
        {
            var safe = Escape(value);
            if (!ReferenceEquals(safe, value))
            {
                (escaped ??= []).Add(new LogEventProperty(name, safe));
            }
        }
        // Each event reaches this one sink only, so it is changed in place; a new event is made only when the
        // template itself (which a caller might have built from a value) needs escaping.
        foreach (var property in escaped ?? [])
        {
            logEvent.AddOrUpdateProperty(property);
        }
        if (LogText.NeedsEscaping(logEvent.MessageTemplate.Text))
        {
            logEvent = new LogEvent(
                logEvent.Timestamp,
                logEvent.Level,
                logEvent.Exception,
                Parser.Parse(LogText.Escape(logEvent.MessageTemplate.Text)),
                logEvent.Properties.Select(p => new LogEventProperty(p.Key, p.Value)),
                logEvent.TraceId ?? default,
                logEvent.SpanId ?? default);
        }
        inner.Emit(logEvent);
    }

    /// <inheritdoc />
    public void Dispose() => (inner as IDisposable)?.Dispose();

    /// <summary><paramref name="value"/> with its text escaped; the same instance when nothing needed it.</summary>
    internal static LogEventPropertyValue Escape(LogEventPropertyValue value) => value switch
    {
        ScalarValue { Value: string text } => LogText.NeedsEscaping(text) ? new ScalarValue(LogText.Escape(text)) : value,
        ScalarValue { Value: char c } => LogText.NeedsEscaping([c]) ? new ScalarValue(LogText.Escape(c.ToString())) : value,
        // Numbers, times and other values render without control characters; any other object renders through its
        // ToString, which may carry what a client sent.
        ScalarValue { Value: null or ValueType } => value,
        ScalarValue scalar => scalar.Value.ToString() is { } text && LogText.NeedsEscaping(text) ? new ScalarValue(LogText.Escape(text)) : value,
        SequenceValue sequence => EscapeAll(sequence.Elements) is { } elements ? new SequenceValue(elements) : value,
        StructureValue structure => EscapeAll(structure.Properties) is { } properties ? new StructureValue(properties, structure.TypeTag) : value,
        DictionaryValue dictionary => EscapeAll(dictionary) ?? value,
        _ => value,
    };

    private static LogEventPropertyValue[]? EscapeAll(IReadOnlyList<LogEventPropertyValue> values)
    {
        LogEventPropertyValue[]? escaped = null;
        for (var i = 0; i < values.Count; i++)
        {
            var safe = Escape(values[i]);
            if (!ReferenceEquals(safe, values[i]))
            {
                escaped ??= [.. values];
                escaped[i] = safe;
            }
        }
        return escaped;
    }

    private static LogEventProperty[]? EscapeAll(IReadOnlyList<LogEventProperty> properties)
    {
        LogEventProperty[]? escaped = null;
        for (var i = 0; i < properties.Count; i++)
        {
            var safe = Escape(properties[i].Value);
            if (!ReferenceEquals(safe, properties[i].Value))
            {
                escaped ??= [.. properties];
                escaped[i] = new LogEventProperty(properties[i].Name, safe);
            }
        }
        return escaped;
    }

    private static DictionaryValue? EscapeAll(DictionaryValue dictionary)
    {
        var changed = false;
        var pairs = new List<KeyValuePair<ScalarValue, LogEventPropertyValue>>(dictionary.Elements.Count);
        foreach (var (key, value) in dictionary.Elements)
        {
            var safeKey = (ScalarValue)Escape(key);
            var safeValue = Escape(value);
            changed |= !ReferenceEquals(safeKey, key) || !ReferenceEquals(safeValue, value);
            pairs.Add(new(safeKey, safeValue));
        }
        return changed ? new DictionaryValue(pairs) : null;
    }
}
