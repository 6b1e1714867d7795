using System.CommandLine;
using System.Net.Http.Headers;
using Microsoft.Extensions.Configuration;
using PushServer.Configuration;

namespace PushServer.Cli;

/// <summary>
/// How <c>push</c>, <c>status</c> and <c>healthcheck</c> find a running server: <c>--url</c> and <c>--token</c>, or else
/// the push port, address and token of the same configuration the server reads (file and PUSHSERVER_ variables).
/// </summary>
internal sealed class ClientFlags
{
    public Option<string?> Url { get; } = new("--url")
    {
        Description = "Push API base URL (default: from the configuration, http://127.0.0.1:9191)",
        HelpName = "URL",
    };

    public Option<string?> Token { get; } = new("--token")
    {
        Description = "Push API bearer token (default: PushApi:Token from the configuration)",
        HelpName = "TOKEN",
    };

    public Option<string?> Config { get; } = new("--config", "-c")
    {
        Description = "Configuration file to read the push port and token from",
        HelpName = "FILE",
    };

    public Option<double> TimeoutSeconds { get; } = OptionValues.Seconds("--timeout", "Seconds to wait for the server", 10);

    public void AddTo(Command command, bool withToken = true)
    {
        command.Options.Add(Url);
        if (withToken)
        {
            command.Options.Add(Token);
        }
        command.Options.Add(Config);
        command.Options.Add(TimeoutSeconds);
    }

    /// <summary>An HTTP client aimed at the push API, with the token when there is one.</summary>
    /// <exception cref="ConfigurationFileException">The configuration file could not be read.</exception>
    /// <exception cref="UriFormatException">--url is not an absolute http(s) URL.</exception>
    public HttpClient CreateClient(ParseResult parse)
    {
        var url = parse.GetValue(Url);
        var token = parse.GetResult(Token) is null ? null : parse.GetValue(Token);
        string? serverCertificateFile = null;
        if (url is null || token is null)
        {
            var loaded = PushServerConfiguration.Load(parse.GetValue(Config), ConfigurationOverrides.None);
            var options = loaded.Configuration.GetSection(PushApiSettings.Section).Get<PushApiSettings>() ?? new PushApiSettings();
            BindAddress.TryParse(options.Bind, out var bind);
            url ??= $"{(options.Tls ? "https" : "http")}://{bind.LocalHostForUrl()}:{options.Port}/";
            token ??= options.Token;
            if (options.Tls)
            {
                serverCertificateFile = loaded.Configuration.GetSection(ServerSettings.Section).Get<ServerSettings>()?.Tls.CertificateFile;
            }
        }
        if (!Uri.TryCreate(url, UriKind.Absolute, out var baseAddress) || baseAddress.Scheme is not ("http" or "https"))
        {
            throw new UriFormatException($"--url must be an absolute http:// or https:// URL (got \"{url}\").");
        }
        var client = new HttpClient(PushPortHandler(serverCertificateFile))
        {
            BaseAddress = new Uri(baseAddress.ToString().TrimEnd('/') + "/"),
            Timeout = TimeSpan.FromSeconds(Math.Max(0.1, parse.GetValue(TimeoutSeconds))),
        };
        if (!string.IsNullOrEmpty(token))
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return client;
    }

    /// <summary>
    /// With TLS on the push port, the server's certificate names its public host, not the loopback address these verbs
    /// call: one that fails the usual checks is still trusted when it is the very certificate of the configured file.
    /// </summary>
    private static HttpMessageHandler PushPortHandler(string? serverCertificateFile)
    {
        var handler = new SocketsHttpHandler();
        if (string.IsNullOrEmpty(serverCertificateFile))
        {
            return handler;
        }
        byte[]? configured = null;
        try
        {
            var chain = new System.Security.Cryptography.X509Certificates.X509Certificate2Collection();
            chain.ImportFromPemFile(serverCertificateFile);
            configured = chain.Count > 0 ? chain[0].RawData : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            // Unreadable here: only certificates the system trusts for the URL's host are accepted then.
        }
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
            errors == System.Net.Security.SslPolicyErrors.None
            || (configured is not null && certificate is not null && certificate.GetRawCertData().AsSpan().SequenceEqual(configured));
        return handler;
    }

    /// <summary>
    /// Runs <paramref name="call"/> and turns the ways it can fail into one stderr line and an exit code.
    /// </summary>
    public static async Task<int> RunAsync(ParseResult parse, Func<TextWriter, Task<int>> call)
    {
        var error = parse.InvocationConfiguration.Error;
        try
        {
            return await call(error).ConfigureAwait(false);
        }
        catch (ConfigurationFileException ex)
        {
            await error.WriteLineAsync("pushserver: " + ex.Message).ConfigureAwait(false);
            return (int)ExitCode.ConfigInvalid;
        }
        catch (UriFormatException ex)
        {
            await error.WriteLineAsync("pushserver: " + ex.Message).ConfigureAwait(false);
            return (int)ExitCode.Usage;
        }
        catch (HttpRequestException ex)
        {
            await error.WriteLineAsync("pushserver: cannot reach the server: " + ex.Message).ConfigureAwait(false);
            return (int)ExitCode.Unreachable;
        }
        catch (TaskCanceledException)
        {
            await error.WriteLineAsync("pushserver: the server did not answer in time").ConfigureAwait(false);
            return (int)ExitCode.Unreachable;
        }
    }

    /// <summary>Prints a server's JSON error as one line and returns <see cref="ExitCode.Refused"/>.</summary>
    public static async Task<int> RefusedAsync(TextWriter error, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        string? detail = null;
        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(body);
            if (document.RootElement.TryGetProperty("error", out var e))
            {
                detail = $"{e.GetProperty("code").GetString()}: {e.GetProperty("message").GetString()}";
            }
        }
        catch (System.Text.Json.JsonException)
        {
            // Not our JSON error shape: print the body as it came.
        }
        if (detail is null && response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            // The push API answers its errors in JSON; a bare 404 comes from something else, most often the Socket.IO
            // port, which serves only /socket.io/ and the demo page.
            var url = response.RequestMessage?.RequestUri is { } uri ? uri.GetLeftPart(UriPartial.Authority) : "the server";
            await error.WriteLineAsync(
                $"pushserver: {url} answered 404 to {response.RequestMessage?.RequestUri?.AbsolutePath}: it is not the push API " +
                "(the Socket.IO port?); give --url the push port (PushApi:Port, default 9191)").ConfigureAwait(false);
            return (int)ExitCode.Refused;
        }
        detail ??= body.Trim();
        await error.WriteLineAsync(detail.Length > 0
            ? $"pushserver: the server answered {(int)response.StatusCode}: {detail}"
            : $"pushserver: the server answered {(int)response.StatusCode} {response.ReasonPhrase} with no explanation").ConfigureAwait(false);
        return (int)ExitCode.Refused;
    }
}
