namespace PushServer.LoadGenerator.Measurement;

/// <summary>Reads another process's CPU time and resident memory from /proc (Linux).</summary>
internal sealed class ProcessSampler(int pid)
{
    // Kernel clock ticks per second for utime/stime in /proc/PID/stat; 100 on every Linux this runs on.
    private const double TicksPerSecond = 100.0;

    /// <summary>User + system CPU seconds the process has used so far.</summary>
    public double CpuSeconds()
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // Fields after the command name, which is in parentheses and may contain spaces.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var utime = long.Parse(fields[11]);
        var stime = long.Parse(fields[12]);
        return (utime + stime) / TicksPerSecond;
    }

    /// <summary>Resident set size in bytes.</summary>
    public long RssBytes()
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                var kb = long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0]);
                return kb * 1024;
            }
        }
        return 0;
    }
}
