using System.Net.Security;
using System.Security.Authentication;
using Microsoft.Extensions.Logging;
using PushServer.Configuration;

namespace PushServer.Hosting.Tls;

/// <summary>
/// The certificate the TLS listeners present, read again when its files change, so that a renewed certificate (Let's
/// Encrypt's every 60 to 90 days) is served without a restart: each new handshake gets the current one, connections
/// already open keep theirs. A change is noticed by a file watcher on the files' folders, acted on once the writes
/// settle, and by a poll as well, since watchers miss some changes (a folder replaced through a symlink, as certbot's
/// <c>live/</c> and Kubernetes' secret volumes do, or a network file system). A new pair that does not load (a key
/// that does not match yet, a truncated file) leaves the current certificate in place, with a warning.
/// </summary>
internal sealed partial class TlsCertificateSource : IDisposable
{
    /// <summary>
    /// How long the files must stay unchanged before they are read: certbot and editors write the certificate and the
    /// key one after the other, and reading between the two would only log a mismatch.
    /// </summary>
    internal static readonly TimeSpan SettleDelay = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How often the files are read whatever the watcher saw: a renewal comes days before the old certificate expires,
    /// so a minute late costs nothing, and reading two small files a minute costs nothing either.
    /// </summary>
    internal static readonly TimeSpan PollInterval = TimeSpan.FromMinutes(1);

    private readonly TlsSettings _settings;
    private readonly ILogger _logger;
    private readonly object _lock = new();
    private readonly ITimer _settle;
    private readonly ITimer _poll;
    private readonly List<FileSystemWatcher> _watchers = [];
    private TlsCertificateLoader.FileContents _lastSeen;
    private volatile State _current;
    private string? _lastProblem;
    private bool _disposed;

    /// <summary>Loads the certificate (checked at start-up already) and starts watching its files.</summary>
    /// <exception cref="InvalidOperationException">The files no longer load (changed since the check).</exception>
    public TlsCertificateSource(TlsSettings settings, TimeProvider time, ILogger<TlsCertificateSource> logger)
    {
        _settings = settings;
        _logger = logger;
        if (!TlsCertificateLoader.TryRead(settings, out var contents, out var problem)
            || !TlsCertificateLoader.TryLoad(settings, contents, out var loaded, out problem))
        {
            throw new InvalidOperationException(problem);
        }
        _lastSeen = contents;
        _current = new State(loaded);
        Log.Loaded(_logger, loaded.Certificate.Subject, loaded.Certificate.Thumbprint, loaded.Certificate.NotAfter.ToUniversalTime());
        _settle = time.CreateTimer(static s => ((TlsCertificateSource)s!).Reload(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _poll = time.CreateTimer(static s => ((TlsCertificateSource)s!).Reload(), this, PollInterval, PollInterval);
        foreach (var folder in new[] { settings.CertificateFile, settings.KeyFile }
            .Select(f => Path.GetDirectoryName(Path.GetFullPath(f))!).Distinct(StringComparer.Ordinal))
        {
            Watch(folder);
        }
    }

    /// <summary>
    /// After each read of changed files: the certificate now presented, or null when the new files did not load and
    /// the current one was kept. For tests and diagnostics.
    /// </summary>
    internal event Action<LoadedCertificate?>? Reloaded;

    /// <summary>The certificate presented now.</summary>
    public LoadedCertificate Current => _current.Certificate;

    /// <summary>
    /// What a new TLS connection is authenticated with: the current certificate, TLS 1.2 and 1.3 only (1.0 and 1.1
    /// are deprecated, RFC 8996), HTTP/1.1 by ALPN, as Node's https server.
    /// </summary>
    public SslServerAuthenticationOptions ServerOptions => _current.Options;

    /// <summary>Reads the files now and switches to them if they changed and load; otherwise keeps the current one.</summary>
    internal void Reload()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }
            if (!TlsCertificateLoader.TryRead(_settings, out var contents, out var problem))
            {
                // Mid-replacement, or gone: the next change or poll tries again. Said once per different problem.
                WarnOnce(problem);
                return;
            }
            if (contents.SameAs(_lastSeen))
            {
                return;
            }
            _lastSeen = contents;
            if (!TlsCertificateLoader.TryLoad(_settings, contents, out var loaded, out problem))
            {
                Log.ReloadFailed(_logger, problem, _current.Certificate.Certificate.Thumbprint);
                Reloaded?.Invoke(null);
                return;
            }
            _lastProblem = null;
            // The old certificate is not disposed: connections still handshaking may hold it, and it is small.
            _current = new State(loaded);
            Log.Reloaded(_logger, loaded.Certificate.Subject, loaded.Certificate.Thumbprint, loaded.Certificate.NotAfter.ToUniversalTime());
            Reloaded?.Invoke(loaded);
        }
    }

    private void WarnOnce(string problem)
    {
        if (problem != _lastProblem)
        {
            _lastProblem = problem;
            Log.ReloadFailed(_logger, problem, _current.Certificate.Certificate.Thumbprint);
        }
    }

    private void Watch(string folder)
    {
        FileSystemWatcher watcher;
        try
        {
            watcher = new FileSystemWatcher(folder)
            {
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size
                    | NotifyFilters.CreationTime | NotifyFilters.Attributes,
            };
        }
        catch (Exception ex) when (ex is ArgumentException or IOException or UnauthorizedAccessException)
        {
            // No watcher (say, out of inotify instances): the poll still picks changes up.
            Log.NotWatching(_logger, folder, ex.Message);
            return;
        }
        // Any change in the folder, not only to the two names: a symlink swap changes another entry (..data, live/).
        FileSystemEventHandler changed = (_, _) => Settle();
        watcher.Changed += changed;
        watcher.Created += changed;
        watcher.Deleted += changed;
        watcher.Renamed += (_, _) => Settle();
        watcher.Error += (_, e) => Log.NotWatching(_logger, folder, e.GetException().Message);
        try
        {
            watcher.EnableRaisingEvents = true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or PlatformNotSupportedException)
        {
            Log.NotWatching(_logger, folder, ex.Message);
            watcher.Dispose();
            return;
        }
        _watchers.Add(watcher);
    }

    /// <summary>Restarts the settle delay: the files are read once no change came for <see cref="SettleDelay"/>.</summary>
    private void Settle()
    {
        lock (_lock)
        {
            if (!_disposed)
            {
                _settle.Change(SettleDelay, Timeout.InfiniteTimeSpan);
            }
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
        }
        foreach (var watcher in _watchers)
        {
            watcher.Dispose();
        }
        _settle.Dispose();
        _poll.Dispose();
    }

    /// <summary>A certificate and the handshake options made from it once, shared by every handshake until the next reload.</summary>
    private sealed class State(LoadedCertificate certificate)
    {
        public LoadedCertificate Certificate { get; } = certificate;

        public SslServerAuthenticationOptions Options { get; } = new()
        {
            ServerCertificateContext = certificate.Context,
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            ApplicationProtocols = [SslApplicationProtocol.Http11],
            ClientCertificateRequired = false,
        };
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = PushServerEventIds.TlsCertificateLoaded, Level = LogLevel.Information,
            Message = "TLS certificate: {Subject}, thumbprint {Thumbprint}, valid until {NotAfter:u}")]
        public static partial void Loaded(ILogger logger, string subject, string thumbprint, DateTime notAfter);

        [LoggerMessage(EventId = PushServerEventIds.TlsCertificateReloaded, Level = LogLevel.Information,
            Message = "TLS certificate reloaded: {Subject}, thumbprint {Thumbprint}, valid until {NotAfter:u}; new connections get it")]
        public static partial void Reloaded(ILogger logger, string subject, string thumbprint, DateTime notAfter);

        [LoggerMessage(EventId = PushServerEventIds.TlsCertificateReloadFailed, Level = LogLevel.Warning,
            Message = "TLS certificate files changed but do not load; still serving thumbprint {Thumbprint}: {Problem}")]
        public static partial void ReloadFailed(ILogger logger, string problem, string thumbprint);

        [LoggerMessage(EventId = PushServerEventIds.TlsNotWatching, Level = LogLevel.Warning,
            Message = "Cannot watch {Folder} for certificate changes ({Reason}); they are picked up by the poll, within a minute")]
        public static partial void NotWatching(ILogger logger, string folder, string reason);
    }
}
