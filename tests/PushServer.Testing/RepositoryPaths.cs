namespace PushServer.Testing;

/// <summary>Finds folders of this repository from a running test.</summary>
public static class RepositoryPaths
{
    private const string SolutionFileName = "PushServer.sln";

    private static readonly Lazy<string> s_root = new(FindRoot);

    /// <summary>
    /// The repository root: the nearest folder above <see cref="AppContext.BaseDirectory"/>
    /// that holds <c>PushServer.sln</c>.
    /// </summary>
    public static string Root => s_root.Value;

    /// <summary>The folder with the Node client drivers and their <c>package.json</c>: <c>tests/node</c>.</summary>
    public static string NodeDirectory => Path.Combine(Root, "tests", "node");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, SolutionFileName)))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException(
            $"No {SolutionFileName} found above {AppContext.BaseDirectory}; run the tests from a clone of the repository.");
    }
}
