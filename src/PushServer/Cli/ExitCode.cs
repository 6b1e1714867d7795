namespace PushServer.Cli;

/// <summary>The process exit codes of every verb, documented in docs/configuration.md.</summary>
internal enum ExitCode
{
    /// <summary>Success; for <c>start</c>, a clean shutdown.</summary>
    Ok = 0,

    /// <summary>An unexpected failure; for <c>healthcheck</c>, unhealthy or unreachable.</summary>
    Failure = 1,

    /// <summary>The command line is wrong (unknown verb or flag, bad flag value).</summary>
    Usage = 2,

    /// <summary>The configuration is invalid or its file unreadable.</summary>
    ConfigInvalid = 3,

    /// <summary>A listener could not bind: the port is in use or the address is not available.</summary>
    AddressInUse = 4,

    /// <summary>The running server could not be reached.</summary>
    Unreachable = 5,

    /// <summary>The running server refused the request (its JSON error is printed).</summary>
    Refused = 6,
}
