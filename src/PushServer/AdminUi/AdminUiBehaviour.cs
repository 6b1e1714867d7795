using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PushServer.Behaviours;
using PushServer.Configuration;
using PushServer.EngineIO;
using PushServer.SocketIO;

namespace PushServer.AdminUi;

/// <summary>
/// The @socket.io/admin-ui server side as a behaviour: registered last, so the namespaces and handlers the other
/// behaviours install exist when it starts observing them. Its stats timer stops with the application.
/// </summary>
internal sealed class AdminUiBehaviour(
    IOptions<AdminUiSettings> settings, EngineServer engine, AdminUiTraffic traffic, TimeProvider time, ILoggerFactory loggers, IHostApplicationLifetime lifetime)
    : IPushServerBehaviour
{
    /// <inheritdoc />
    public void Apply(SocketIOServer io)
    {
        if (AdminUiInstrumentation.Apply(io, settings.Value, engine, traffic, time, loggers.CreateLogger("PushServer.AdminUi")) is { } adminUi)
        {
            lifetime.ApplicationStopping.Register(adminUi.Dispose);
        }
    }
}
