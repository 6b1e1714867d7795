namespace PushServer.EngineIO.Tests;

/// <summary>
/// Pins the public surface of PushServer.EngineIO: a change shows up as a diff of PublicApi.approved.txt.
/// To accept one, copy the .received.txt file written next to the test binaries over the approved file.
/// </summary>
public class PublicApiTests
{
    [Fact]
    public void Public_api_matches_the_approved_list() =>
        PublicApiApproval.AssertMatchesApproved(typeof(IEngineSession).Assembly, "PublicApi.approved.txt");
}
