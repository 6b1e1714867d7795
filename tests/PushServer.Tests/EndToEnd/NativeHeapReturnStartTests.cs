namespace PushServer.Tests.EndToEnd;

/// <summary>
/// <c>pushserver start</c> sets glibc's mmap threshold (<c>Server:ReturnLargeNativeBlocks</c>) and says so at Debug
/// right after the line saying where it listens; turned off, or with the operator's own threshold, it does not.
/// </summary>
public sealed class NativeHeapReturnStartTests
{
    private const string Marker = "get their own mapping";

    private static bool IsCapLine(string line) => line.Contains("connections at once", StringComparison.Ordinal)
        || line.Contains("no cap on connections", StringComparison.Ordinal);

    [Fact]
    public async Task Start_sets_the_threshold_by_default()
    {
        await using var server = await ServerProcess.StartAsync(["--log-level", "Debug"]);

        var line = await server.WaitForLineAsync(l => l.Contains(Marker, StringComparison.Ordinal));
        Assert.Contains("65536", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("PUSHSERVER_Server__ReturnLargeNativeBlocks", "false")]
    [InlineData("MALLOC_MMAP_THRESHOLD_", "131072")]
    public async Task Start_leaves_the_threshold_alone_when_told_to_or_when_the_operator_set_one(string variable, string value)
    {
        await using var server = await ServerProcess.StartAsync(["--log-level", "Debug"], new Dictionary<string, string> { [variable] = value });

        // The threshold's line would come before the connection cap's.
        await server.WaitForLineAsync(IsCapLine);
        Assert.DoesNotContain(Marker, server.Output, StringComparison.Ordinal);
    }
}
