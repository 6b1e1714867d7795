using System.Globalization;

namespace PushServer.LoadGenerator.Scenarios;

/// <summary>
/// The soak scenario's own settings, read from the command line beside the shared <see cref="LoadOptions"/>:
/// <c>--seconds</c> (how long to hold, default 600), <c>--bps</c> (pushes per second, default 2), <c>--churn</c>
/// (clients dropped and replaced per second, default 10), <c>--sample-seconds</c> (default 10) and
/// <c>--warmup-seconds</c> (samples left out of the memory trend, default 60).
/// </summary>
internal sealed record SoakOptions
{
    public double Seconds { get; init; } = 600;
    public double PushesPerSecond { get; init; } = 2;
    public double ChurnPerSecond { get; init; } = 10;
    public double SampleSeconds { get; init; } = 10;

    /// <summary>The first minute holds the JIT, the thread pool growing and the first full GCs: not a trend.</summary>
    public double WarmupSeconds { get; init; } = 60;

    public static SoakOptions Parse(string[] args)
    {
        double Number(string name, double fallback)
        {
            var index = Array.IndexOf(args, name);
            return index >= 0 && index + 1 < args.Length ? double.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
        }
        var defaults = new SoakOptions();
        return new SoakOptions
        {
            Seconds = Number("--seconds", defaults.Seconds),
            PushesPerSecond = Number("--bps", defaults.PushesPerSecond),
            ChurnPerSecond = Number("--churn", defaults.ChurnPerSecond),
            SampleSeconds = Number("--sample-seconds", defaults.SampleSeconds),
            WarmupSeconds = Number("--warmup-seconds", defaults.WarmupSeconds),
        };
    }
}
