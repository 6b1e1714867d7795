using System.Collections;
using Microsoft.Extensions.Configuration;

namespace PushServer.Configuration;

/// <summary>
/// Builds the configuration in its documented order, later wins: built-in defaults &lt; <c>config/pushserver.json</c>
/// (or <c>--config FILE</c>) &lt; environment variables <c>PUSHSERVER_Section__Key</c> &lt; command-line flags.
/// </summary>
internal static class PushServerConfiguration
{
    /// <summary>Prefix of the environment variables read.</summary>
    public const string EnvironmentPrefix = "PUSHSERVER_";

    /// <summary>Where the default configuration file lives, relative to the working directory or the executable.</summary>
    public static readonly string DefaultFileRelativePath = Path.Combine("config", "pushserver.json");

    /// <summary>
    /// Loads the configuration. <paramref name="explicitFile"/> must exist; without it the default file is looked up
    /// in <paramref name="currentDirectory"/>, then beside the executable, and its absence is fine (defaults apply).
    /// </summary>
    /// <exception cref="ConfigurationFileException">The file is missing (when explicit), unreadable or invalid.</exception>
    public static LoadedConfiguration Load(
        string? explicitFile,
        ConfigurationOverrides overrides,
        IEnumerable<KeyValuePair<string, string?>>? environment = null,
        string? currentDirectory = null)
    {
        var file = ResolveFile(explicitFile, currentDirectory ?? Directory.GetCurrentDirectory());
        var builder = new ConfigurationBuilder();
        if (file is not null)
        {
            byte[] bytes;
            try
            {
                bytes = File.ReadAllBytes(file);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new ConfigurationFileException($"cannot read configuration file {file}: {ex.Message}", ex);
            }
            builder.AddJsonStream(new MemoryStream(bytes));
        }
        builder.AddInMemoryCollection(ReadEnvironment(environment));
        builder.AddInMemoryCollection(overrides.Values);
        try
        {
            return new LoadedConfiguration(builder.Build(), file, overrides);
        }
        catch (Exception ex) when (ex is FormatException or InvalidDataException or System.Text.Json.JsonException)
        {
            var reason = ex.InnerException?.Message ?? ex.Message;
            throw new ConfigurationFileException($"configuration file {file} is not valid JSON: {reason}", ex);
        }
    }

    private static string? ResolveFile(string? explicitFile, string currentDirectory)
    {
        if (!string.IsNullOrEmpty(explicitFile))
        {
            var full = Path.GetFullPath(explicitFile, currentDirectory);
            if (!File.Exists(full))
            {
                throw new ConfigurationFileException($"configuration file {full} does not exist");
            }
            return full;
        }
        foreach (var root in new[] { currentDirectory, AppContext.BaseDirectory })
        {
            var candidate = Path.Combine(root, DefaultFileRelativePath);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }

    /// <summary>
    /// <c>PUSHSERVER_EngineIO__PingInterval=1000</c> becomes <c>EngineIO:PingInterval</c>; <c>PUSHSERVER_</c> variables
    /// without <c>__</c> are left alone.
    /// </summary>
    private static IEnumerable<KeyValuePair<string, string?>> ReadEnvironment(IEnumerable<KeyValuePair<string, string?>>? environment)
    {
        environment ??= Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
            .Select(e => new KeyValuePair<string, string?>((string)e.Key, (string?)e.Value));
        foreach (var (name, value) in environment)
        {
            // Every key has a section, so a variable without "__" (PUSHSERVER_SKIP_APT, say) is not configuration.
            if (name.StartsWith(EnvironmentPrefix, StringComparison.OrdinalIgnoreCase) && name.Contains("__", StringComparison.Ordinal))
            {
                yield return new(name[EnvironmentPrefix.Length..].Replace("__", ConfigurationPath.KeyDelimiter, StringComparison.Ordinal), value);
            }
        }
    }
}

/// <summary>A loaded configuration and where it came from.</summary>
/// <param name="Configuration">The layered configuration.</param>
/// <param name="File">The configuration file read, or null when none was found.</param>
/// <param name="Overrides">The command-line overrides, applied again after binding for lists.</param>
internal sealed record LoadedConfiguration(IConfigurationRoot Configuration, string? File, ConfigurationOverrides Overrides)
{
    /// <summary>
    /// Section <paramref name="name"/> bound now, for what start-up needs before the container exists (listeners,
    /// logging); services read the same section through <c>IOptions</c>.
    /// </summary>
    public T Section<T>(string name)
        where T : new() => Configuration.GetSection(name).Get<T>() ?? new T();
}
