using System.Runtime.InteropServices;

namespace PushServer.Hosting;

/// <summary>
/// glibc's <c>mallopt</c>, looked up at run time: other C libraries (musl, macOS, Windows) have no such tuning or
/// ignore it, and there nothing is called.
/// </summary>
internal static class GlibcMallopt
{
    /// <summary><c>M_MMAP_THRESHOLD</c> in glibc's <c>malloc.h</c>.</summary>
    private const int MmapThresholdParameter = -3;

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int Mallopt(int parameter, int value);

    /// <summary>
    /// Sets <c>M_MMAP_THRESHOLD</c> to <paramref name="bytes"/>, which also stops glibc from raising it as blocks are
    /// freed. False when this is not glibc or glibc refused the value.
    /// </summary>
    public static bool TrySetMmapThreshold(int bytes)
    {
        if (!OperatingSystem.IsLinux() || !NativeLibrary.TryLoad("libc.so.6", out var library))
        {
            return false;
        }
        try
        {
            // mallopt answers 1 on success, 0 on a value it does not take.
            return NativeLibrary.TryGetExport(library, "mallopt", out var address)
                && Marshal.GetDelegateForFunctionPointer<Mallopt>(address)(MmapThresholdParameter, bytes) == 1;
        }
        finally
        {
            // The C library stays loaded: the process itself runs on it.
            NativeLibrary.Free(library);
        }
    }
}
