namespace PushServer.Configuration;

/// <summary>Checks <see cref="ClusterSettings"/>; each message names the key.</summary>
internal sealed class ClusterSettingsValidator : SettingsValidator<ClusterSettings>
{
    /// <inheritdoc />
    protected override void Check(ClusterSettings options, List<string> errors)
    {
        if (options.AdvertisedUrl.Length > 0 && !IsBaseUrl(options.AdvertisedUrl))
        {
            errors.Add($"Cluster:AdvertisedUrl must be an http:// or https:// URL with a host and no path, such as http://10.0.0.5:2024 (got \"{options.AdvertisedUrl}\").");
        }
    }

    private static bool IsBaseUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri)
        && uri.Scheme is "http" or "https"
        && uri.Host.Length > 0
        && uri.AbsolutePath == "/"
        && uri.Query.Length == 0
        && uri.UserInfo.Length == 0;
}
