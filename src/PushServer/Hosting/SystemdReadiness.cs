using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;

namespace PushServer.Hosting;

/// <summary>
/// Tells systemd (<c>Type=notify</c>, see config/pushserver.service) when both listeners are up and when draining
/// starts. Does nothing outside systemd (no <c>NOTIFY_SOCKET</c>). The graceful shutdown keeps owning the signals.
/// </summary>
internal sealed class SystemdReadiness : IHostedLifecycleService
{
    private readonly SystemdNotifier _notifier = new();

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken)
    {
        if (_notifier.IsEnabled)
        {
            _notifier.Notify(ServiceState.Ready);
        }
        return Task.CompletedTask;
    }

    public Task StoppingAsync(CancellationToken cancellationToken)
    {
        if (_notifier.IsEnabled)
        {
            _notifier.Notify(ServiceState.Stopping);
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
