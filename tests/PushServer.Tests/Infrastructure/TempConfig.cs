namespace PushServer.Tests.Infrastructure;

/// <summary>A configuration file in a temporary folder, deleted on dispose.</summary>
public sealed class TempConfig : IDisposable
{
    private TempConfig(string path) => Path = path;

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>Writes <paramref name="json"/> to a new file.</summary>
    public static TempConfig Write(string json)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"pushserver-test-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        return new TempConfig(path);
    }

    /// <inheritdoc />
    public void Dispose() => File.Delete(Path);
}
