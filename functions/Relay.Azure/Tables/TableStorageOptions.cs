namespace Relay.Azure.Tables;

/// <summary>How the Table Storage adapter names its tables and recovers from interrupted commits.</summary>
public sealed record TableStorageOptions
{
    /// <summary>Prepended to every table name, so deployments (or test runs) can share one account.</summary>
    public string TablePrefix { get; init; } = "";

    /// <summary>
    /// How long an idempotency-key claim whose report never appeared blocks that key. A claim is
    /// written before the commit; a process that dies in between leaves it, and after this long another
    /// attempt may take it over. Long enough to cover one commit, short enough for a client's retry.
    /// </summary>
    public TimeSpan ClaimLease { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How old an outbox marker must be before the sweep re-sends its messages: younger ones may belong
    /// to a commit still sending them inline.
    /// </summary>
    public TimeSpan OutboxGrace { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Rows per query page; every query follows continuation tokens to the end.</summary>
    public int PageSize { get; init; } = 1000;
}
