namespace PushServer.LoadGenerator.Measurement;

/// <summary>
/// Whether a series of resident-memory samples is flat: the least-squares slope over the samples, and the growth it
/// amounts to over the whole series, compared with a tolerance.
/// </summary>
internal static class MemoryTrend
{
    // A managed heap breathes: a GC cycle moves RSS by a few percent, and a run shorter than a few cycles
    // can show that as a slope. Growth under this share of the mean (or under the floor) counts as flat.
    public const double ToleratedGrowthShare = 0.05;
    public const double ToleratedGrowthFloorMiB = 16;

    /// <summary>The slope in MiB per minute and the growth in MiB it gives across the samples.</summary>
    public static (double SlopeMiBPerMinute, double GrowthMiB, bool Flat) Analyse(IReadOnlyList<(double Seconds, double RssMiB)> samples)
    {
        if (samples.Count < 3)
        {
            return (double.NaN, double.NaN, false);
        }
        var meanX = samples.Average(s => s.Seconds);
        var meanY = samples.Average(s => s.RssMiB);
        var covariance = samples.Sum(s => (s.Seconds - meanX) * (s.RssMiB - meanY));
        var variance = samples.Sum(s => (s.Seconds - meanX) * (s.Seconds - meanX));
        var slopePerSecond = variance == 0 ? 0 : covariance / variance;
        var span = samples[^1].Seconds - samples[0].Seconds;
        var growth = slopePerSecond * span;
        var tolerated = Math.Max(ToleratedGrowthShare * meanY, ToleratedGrowthFloorMiB);
        return (slopePerSecond * 60, growth, growth <= tolerated);
    }
}
