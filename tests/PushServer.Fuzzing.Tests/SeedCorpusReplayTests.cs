using PushServer.Testing;

namespace PushServer.Fuzzing.Tests;

/// <summary>
/// Every committed seed (hand-written adversarial inputs and inputs the fuzzer once crashed on) goes through its
/// target on each test run, so a decoder that starts throwing anything but its own refusal fails here first.
/// </summary>
public class SeedCorpusReplayTests
{
    private static string CorpusDirectory => Path.Combine(RepositoryPaths.Root, "fuzz", "corpus");

    public static TheoryData<string> Targets() => [.. FuzzTargets.All.Keys];

    [Theory]
    [MemberData(nameof(Targets))]
    public void Every_seed_of_the_target_is_decoded_or_refused_without_an_unexpected_exception(string target)
    {
        var seeds = Directory.GetFiles(Path.Combine(CorpusDirectory, target)).Order(StringComparer.Ordinal).ToArray();
        Assert.True(seeds.Length >= 20, $"fuzz/corpus/{target} holds only {seeds.Length} seeds");

        var failures = new List<string>();
        foreach (var seed in seeds)
        {
            try
            {
                FuzzTargets.All[target](File.ReadAllBytes(seed));
            }
            catch (Exception ex)
            {
                failures.Add($"{Path.GetFileName(seed)}: {ex.GetType().Name}: {ex.Message}");
            }
        }
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Fact]
    public void Every_corpus_folder_belongs_to_a_target()
    {
        var folders = Directory.GetDirectories(CorpusDirectory).Select(Path.GetFileName).Order(StringComparer.Ordinal);
        Assert.Equal(FuzzTargets.All.Keys.Order(StringComparer.Ordinal), folders);
    }
}
