using Microsoft.Extensions.Configuration;
using PushServer.Configuration;

namespace PushServer.Hosting;

/// <summary>
/// <c>Server:ReturnLargeNativeBlocks</c>: a fixed 64 KB <c>M_MMAP_THRESHOLD</c> for glibc, so native blocks of that
/// size the arenas have no room for get a mapping of their own, returned to the system when freed, and an arena is
/// trimmed once more than 128 KB at its top is free. The runtime's background tier-up compiler works in 64 KB native
/// slabs and frees them in batches. Under glibc's default the threshold, and the trim threshold with it, climbs to the
/// largest block freed so far, so those slabs end up in the compiler thread's arena, which keeps them once freed:
/// measured at 10,000 idle WebSockets, about 7 MB of resident memory for the life of the process, most of it empty, a
/// tenth of what the connections cost. Mapping a slab costs two system calls, only while methods are being compiled.
/// </summary>
internal static class NativeHeapReturn
{
    /// <summary>Blocks of this many bytes and more get their own mapping: the compiler's slab size.</summary>
    internal const int Threshold = 64 * 1024;

    /// <summary>glibc's own ways to set the threshold; an operator who used either keeps that value.</summary>
    private const string ThresholdVariable = "MALLOC_MMAP_THRESHOLD_";
    private const string TunablesVariable = "GLIBC_TUNABLES";
    private const string ThresholdTunable = "glibc.malloc.mmap_threshold";

    /// <summary>
    /// Sets the threshold for this process when the configuration asks for it and glibc is the C library; true when
    /// it did. Runs before the host is built, so that as little as possible is allocated under glibc's default.
    /// </summary>
    public static bool ApplyToProcess(LoadedConfiguration loaded) =>
        Apply(loaded.Configuration, Environment.GetEnvironmentVariable, GlibcMallopt.TrySetMmapThreshold);

    /// <summary>
    /// <see cref="ApplyToProcess"/> over a given environment and C library. True when the threshold was set.
    /// </summary>
    internal static bool Apply(IConfiguration configuration, Func<string, string?> read, Func<int, bool> setThreshold)
    {
        if (!configuration.GetValue("Server:ReturnLargeNativeBlocks", true)
            || read(ThresholdVariable) is not null
            || read(TunablesVariable)?.Contains(ThresholdTunable, StringComparison.Ordinal) == true)
        {
            return false;
        }
        return setThreshold(Threshold);
    }
}
