using System.Text.RegularExpressions;

namespace PushServer.Configuration;

/// <summary>Checks the admin UI settings; only when it is enabled, so a disabled section may hold anything.</summary>
internal sealed partial class AdminUiSettingsValidator : SettingsValidator<AdminUiSettings>
{
    /// <inheritdoc />
    protected override void Check(AdminUiSettings options, List<string> errors)
    {
        if (!options.Enabled)
        {
            return;
        }
        if (!options.Namespace.StartsWith('/') || options.Namespace.Length < 2)
        {
            errors.Add($"AdminUi:Namespace must start with / and name a namespace other than / (got \"{options.Namespace}\").");
        }
        var hasUser = options.Username.Length > 0;
        var hasHash = options.PasswordHash.Length > 0;
        if (hasHash && !IsBcryptHash(options.PasswordHash))
        {
            errors.Add("AdminUi:PasswordHash must be a bcrypt hash such as $2b$10$… (60 characters), not a plaintext password.");
        }
        if (hasUser != hasHash)
        {
            errors.Add("AdminUi:Username and AdminUi:PasswordHash go together: set both, or neither with AdminUi:AllowNoAuth.");
        }
        else if (!hasUser && !options.AllowNoAuth)
        {
            errors.Add("AdminUi needs AdminUi:Username and AdminUi:PasswordHash, or AdminUi:AllowNoAuth set to true.");
        }
        else if (hasUser && options.AllowNoAuth)
        {
            errors.Add("AdminUi:AllowNoAuth contradicts AdminUi:Username and AdminUi:PasswordHash: set one or the other.");
        }
        if (options.Mode is not (AdminUiSettings.DevelopmentMode or AdminUiSettings.ProductionMode))
        {
            errors.Add($"AdminUi:Mode must be development or production (got \"{options.Mode}\").");
        }
        if (options.SocketIOUrl.Length > 0
            && !(Uri.TryCreate(options.SocketIOUrl, UriKind.Absolute, out var url) && url.Scheme is "http" or "https" && url.Query.Length == 0))
        {
            errors.Add($"AdminUi:SocketIOUrl must be empty or an http:// or https:// URL without a query (got \"{options.SocketIOUrl}\").");
        }
        OptionChecks.Positive(errors, "AdminUi:ServerStatsIntervalMs", options.ServerStatsIntervalMs);
    }

    /// <summary>A modular-crypt bcrypt hash: version, two-digit cost, 22 characters of salt and 31 of hash.</summary>
    public static bool IsBcryptHash(string text) => BcryptHash().IsMatch(text);

    [GeneratedRegex(@"^\$2[abxy]?\$(0[4-9]|[12][0-9]|3[01])\$[./A-Za-z0-9]{53}$")]
    private static partial Regex BcryptHash();
}
