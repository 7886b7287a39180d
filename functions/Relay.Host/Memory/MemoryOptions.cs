namespace Relay.Host.Memory;

/// <summary><c>Relay__Memory__*</c>: how Relay gives memory back between bursts of work.</summary>
public sealed class MemoryOptions
{
    public const string Section = "Relay:Memory";

    /// <summary>
    /// Seconds with no request in flight and the queue idle after which Relay releases pooled connections, compacts its
    /// heap and returns free native memory to the OS, once per burst (bursts that allocated less than 4 MiB wait until they
    /// add up to that); 0 never does.
    /// </summary>
    public int IdleTrimSeconds { get; set; } = 1;
}
