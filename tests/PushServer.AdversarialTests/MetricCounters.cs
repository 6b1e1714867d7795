using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using PushServer.EngineIO;
using PushServer.SocketIO;

namespace PushServer.AdversarialTests;

/// <summary>
/// Sums what the Engine.IO and Socket.IO meters count, by instrument and tag value
/// (<c>pushserver.engineio.limit_rejections/max_sessions</c>). The meters are process-wide, so the suite runs its
/// tests one at a time (see <c>AssemblyInfo.cs</c>) and a test compares the sum before and after its bad input.
/// </summary>
public static class MetricCounters
{
    private static readonly ConcurrentDictionary<string, long> Sums = new();
    private static readonly MeterListener Listener = Start();

    public static long Get(string instrument, string tag)
    {
        GC.KeepAlive(Listener);
        return Sums.GetValueOrDefault(instrument + "/" + tag);
    }

    public const string SlowConsumer = "pushserver.engineio.slow_consumer_disconnects";
    public const string EngineLimit = "pushserver.engineio.limit_rejections";
    public const string SocketLimit = "pushserver.socketio.limit_rejections";

    private static MeterListener Start()
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name is EngineMetrics.MeterName or SocketIOMetrics.MeterName)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                Sums.AddOrUpdate(instrument.Name + "/" + tag.Value, value, (_, sum) => sum + value);
            }
        });
        listener.Start();
        return listener;
    }
}
