using System.Runtime.InteropServices;
using Microsoft.Extensions.Configuration;
using PushServer.Hosting;

namespace PushServer.Tests.Cli;

/// <summary>
/// <c>Server:ReturnLargeNativeBlocks</c> sets glibc's mmap threshold to 64 KB, unless the operator set one, through a
/// binding that reaches glibc's own mallopt.
/// </summary>
public sealed class NativeHeapReturnTests
{
    private static (bool Applied, List<int> Thresholds) Apply(string? setting, Dictionary<string, string>? environment = null)
    {
        var thresholds = new List<int>();
        var values = setting is null ? [] : new Dictionary<string, string?> { ["Server:ReturnLargeNativeBlocks"] = setting };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var applied = NativeHeapReturn.Apply(
            configuration,
            name => environment?.GetValueOrDefault(name),
            bytes =>
            {
                thresholds.Add(bytes);
                return true;
            });
        return (applied, thresholds);
    }

    [Fact]
    public void On_by_default_at_the_compilers_slab_size()
    {
        var (applied, thresholds) = Apply(setting: null);
        Assert.True(applied);
        Assert.Equal([64 * 1024], thresholds);
    }

    [Fact]
    public void Off_leaves_the_allocator_alone() => Assert.Empty(Apply(setting: "false").Thresholds);

    [Theory]
    [InlineData("MALLOC_MMAP_THRESHOLD_", "131072")]
    [InlineData("GLIBC_TUNABLES", "glibc.malloc.arena_max=2:glibc.malloc.mmap_threshold=262144")]
    public void An_operators_own_threshold_wins(string variable, string value) =>
        Assert.Empty(Apply(setting: "true", new Dictionary<string, string> { [variable] = value }).Thresholds);

    [Fact]
    public void Other_tunables_do_not_stop_it() =>
        Assert.Single(Apply(setting: null, new Dictionary<string, string> { ["GLIBC_TUNABLES"] = "glibc.malloc.arena_max=2" }).Thresholds);

    /// <summary>
    /// Against the real C library: under the 64 KB threshold a 16 MB block, more than an arena has free, gets a mapping
    /// of its own; under glibc's 32 MB maximum the same block is carved from an arena. glibc marks a block it mapped
    /// by itself in the size word just before the block (<c>IS_MMAPPED</c>, 0x2). Changes this test process's
    /// allocator, which only moves its own large blocks into mappings, and leaves it at 64 KB.
    /// </summary>
    [Fact]
    public void The_binding_changes_where_glibc_puts_a_large_block()
    {
        Assert.True(OperatingSystem.IsLinux(), "the server's tests run on Linux, where glibc is the C library");
        const int size = 16 * 1024 * 1024;
        Assert.True(GlibcMallopt.TrySetMmapThreshold(NativeHeapReturn.Threshold));
        Assert.True(IsOwnMapping(size));
        try
        {
            Assert.True(GlibcMallopt.TrySetMmapThreshold(32 * 1024 * 1024));
            Assert.False(IsOwnMapping(size));
        }
        finally
        {
            GlibcMallopt.TrySetMmapThreshold(NativeHeapReturn.Threshold);
        }
    }

    private static bool IsOwnMapping(int size)
    {
        const long mappedBit = 0x2;
        var block = Marshal.AllocHGlobal(size);
        try
        {
            return (Marshal.ReadInt64(block, -sizeof(long)) & mappedBit) != 0;
        }
        finally
        {
            Marshal.FreeHGlobal(block);
        }
    }
}
