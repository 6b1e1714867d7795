namespace PushServer.Configuration;

/// <summary>The configuration file is missing, unreadable or not valid JSON; the message says which and why.</summary>
internal sealed class ConfigurationFileException(string message, Exception? inner = null) : Exception(message, inner);
