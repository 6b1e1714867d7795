namespace PushServer.Hosting;

/// <summary>
/// The process's open-file limit (<c>ulimit -n</c>, as the runtime left it: .NET raises the soft limit to the hard
/// one at start) and how many descriptors are open now. Read from <c>/proc/self</c>, so known on Linux only;
/// elsewhere, or when /proc cannot be read, there is none.
/// </summary>
/// <param name="Maximum">Descriptors the process may hold.</param>
/// <param name="Open">Descriptors open when it was read.</param>
internal readonly record struct DescriptorLimit(long Maximum, int Open)
{
    private const string LimitLine = "Max open files";

    /// <summary>The limit and the open count now; null when not known here (not Linux, no /proc, no limit).</summary>
    public static DescriptorLimit? Read()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }
        try
        {
            var line = File.ReadLines("/proc/self/limits").FirstOrDefault(l => l.StartsWith(LimitLine, StringComparison.Ordinal));
            // "Max open files            20000                20000                files": the soft limit comes first.
            var soft = line?[LimitLine.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
            if (!long.TryParse(soft, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var maximum))
            {
                // "unlimited", or a format this does not know.
                return null;
            }
            // The enumeration's own descriptor is among those listed; it is closed again right after.
            var open = Directory.EnumerateFileSystemEntries("/proc/self/fd").Count() - 1;
            return new DescriptorLimit(maximum, open);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
