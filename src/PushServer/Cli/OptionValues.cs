using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace PushServer.Cli;

/// <summary>
/// Parsers for the flags that take a number or a boolean. System.CommandLine's own messages name .NET types
/// (<c>System.Nullable`1[System.Int32]</c>); these name the flag, the value given and what it must be.
/// </summary>
internal static class OptionValues
{
    /// <summary>A TCP port flag: 1 to 65535, or 0 for a free port the system picks (tests and side-by-side runs).</summary>
    public static Option<int?> Port(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "PORT",
        CustomParser = result => ParseInt(result, name, 0, 65535, "a number from 1 to 65535, or 0 for a free port"),
    };

    /// <summary>A whole number of milliseconds, zero or more.</summary>
    public static Option<int?> Milliseconds(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "MS",
        CustomParser = result => ParseInt(result, name, 0, int.MaxValue, "a whole number of milliseconds"),
    };

    /// <summary>A number of seconds, fractions allowed.</summary>
    public static Option<double> Seconds(string name, string description, double defaultValue) => new(name)
    {
        Description = description,
        HelpName = "SECONDS",
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result =>
        {
            var text = Single(result);
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0 && double.IsFinite(seconds))
            {
                return seconds;
            }
            result.AddError($"{name} must be a number of seconds (got \"{text}\").");
            return defaultValue;
        },
    };

    /// <summary>
    /// A boolean flag that may take a value: bare means true, else <c>true</c> or <c>false</c>. Typed as text because
    /// System.CommandLine leaves a word that is not a boolean to the command (and reports it as an unrecognized
    /// argument); taken as the flag's value, a wrong one is reported against the flag. Read it with <see cref="GetBoolean"/>.
    /// </summary>
    public static Option<string?> Boolean(string name, string description)
    {
        var option = new Option<string?>(name) { Description = description, HelpName = "BOOL", Arity = ArgumentArity.ZeroOrOne };
        option.Validators.Add(result =>
        {
            if (result.Tokens.Count == 1 && !bool.TryParse(result.Tokens[0].Value, out _))
            {
                result.AddError($"{name} must be true or false (got \"{result.Tokens[0].Value}\").");
            }
        });
        return option;
    }

    /// <summary>A <see cref="Boolean"/> flag's value: null when absent, true when bare.</summary>
    public static bool? GetBoolean(ParseResult parse, Option<string?> option) =>
        parse.GetResult(option) is null ? null : parse.GetValue(option) is { } text ? bool.Parse(text) : true;

    private static int? ParseInt(ArgumentResult result, string name, int min, int max, string expected)
    {
        var text = Single(result);
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }
        result.AddError($"{name} must be {expected} (got \"{text}\").");
        return null;
    }

    private static string Single(ArgumentResult result) => result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
}
