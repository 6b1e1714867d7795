namespace PushServer.LoadGenerator.Measurement;

/// <summary>Collects latencies in microseconds from many threads; percentiles at the end.</summary>
internal sealed class LatencyRecorder
{
    private readonly Lock _sync = new();
    private readonly List<long> _micros = new(1 << 16);

    public int Count
    {
        get
        {
            lock (_sync)
            {
                return _micros.Count;
            }
        }
    }

    public void Record(long micros)
    {
        lock (_sync)
        {
            _micros.Add(micros);
        }
    }

    /// <summary>Forgets what was recorded so far: the end of a warm-up.</summary>
    public void Reset()
    {
        lock (_sync)
        {
            _micros.Clear();
        }
    }

    /// <summary>p50, p90, p99 and max, in milliseconds.</summary>
    public (double P50, double P90, double P99, double Max) Percentiles()
    {
        long[] sorted;
        lock (_sync)
        {
            sorted = [.. _micros];
        }
        if (sorted.Length == 0)
        {
            return (double.NaN, double.NaN, double.NaN, double.NaN);
        }
        Array.Sort(sorted);
        double At(double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)] / 1000.0;
        return (At(0.50), At(0.90), At(0.99), sorted[^1] / 1000.0);
    }
}
