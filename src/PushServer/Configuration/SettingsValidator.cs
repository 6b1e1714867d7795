using Microsoft.Extensions.Options;

namespace PushServer.Configuration;

/// <summary>
/// The checker of one settings section: <see cref="Check"/> adds a message per problem, each naming its key, and a
/// start is refused with all of them at once rather than one per attempt.
/// </summary>
internal abstract class SettingsValidator<TSettings> : IValidateOptions<TSettings>
    where TSettings : class
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, TSettings options)
    {
        var errors = new List<string>();
        Check(options, errors);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>Adds to <paramref name="errors"/> a message for each problem of <paramref name="options"/>.</summary>
    protected abstract void Check(TSettings options, List<string> errors);
}
