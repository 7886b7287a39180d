namespace Relay.Azure.Tables;

/// <summary>
/// The tables and what each row kind is keyed by. Table Storage commits atomically only within one
/// partition of one table (an entity-group transaction, at most 100 rows), so everything one report
/// changes together lives in one <see cref="Cases"/> partition, keyed by the report's target (the dedupe
/// key): the open-case pointer, the case, its reporter set, the report, the audit lines and the outbox.
/// The other tables hold what must be found without knowing the target, written so that a crash between
/// them and the transaction leaves only rows pointing at nothing, which readers skip and recovery clears.
/// </summary>
public sealed class TableNames(string prefix)
{
    /// <summary>Partition: escaped dedupe key of the target. Rows: see <see cref="CaseRowKeys"/>.</summary>
    public string Cases { get; } = prefix + "Cases";

    /// <summary>
    /// Partition: case id, one row naming the case's <see cref="Cases"/> partition; and partition
    /// <c>caseroom|&lt;escaped room id&gt;</c>, one row claiming a case room for one case.
    /// </summary>
    public string CaseIndex { get; } = prefix + "CaseIndex";

    /// <summary>Partition: escaped idempotency key; one row naming the report that holds it (unique across targets).</summary>
    public string ReportKeys { get; } = prefix + "ReportKeys";

    /// <summary>Partition <c>pending</c>; one marker per commit whose outbox rows are not yet all sent.</summary>
    public string Outbox { get; } = prefix + "Outbox";

    /// <summary>
    /// Partition: escaped case id; row: escaped item (the preserved event's id). Preserved evidence, see
    /// <see cref="TableStorageEscalationStore"/>.
    /// </summary>
    public string Evidence { get; } = prefix + "Evidence";

    /// <summary>Partition: case id; one tombstone per purged (erased) case, kept after the case is gone. See <see cref="TableStorageCaseLifecycleStore"/>.</summary>
    public string Purges { get; } = prefix + "Purges";

    public IReadOnlyList<string> All => [Cases, CaseIndex, ReportKeys, Outbox, Evidence, Purges];
}

/// <summary>Row keys inside a <see cref="TableNames.Cases"/> partition. Case and report ids are ULIDs, hashes hex.</summary>
internal static class CaseRowKeys
{
    /// <summary>The one open case of the target, if any. Claimed with Add (409 = someone else opened one).</summary>
    public const string Open = "open";

    public const string CasePrefix = "case|";

    public static string Case(string caseId) => CasePrefix + caseId;

    public static string Reporter(string caseId, string reporterHash) => $"reporter|{caseId}|{TableKey.For(reporterHash)}";

    public static string ReportPrefix(string caseId) => $"report|{caseId}|";

    public static string Report(string caseId, string reportId) => ReportPrefix(caseId) + reportId;

    public static string AuditPrefix(string caseId) => $"audit|{caseId}|";

    /// <summary>Ordered by the commit's time, then the commit, then the line within it.</summary>
    public static string Audit(string caseId, long commitTicks, string commitId, int index) =>
        $"{AuditPrefix(caseId)}{commitTicks:D19}|{commitId}|{index:D3}";

    public static string FollowerPrefix(string caseId) => $"follower|{caseId}|";

    /// <summary>Whether the row belongs to the case: its case row, or a reporter, report, audit or follower row of it.</summary>
    public static bool BelongsTo(string rowKey, string caseId) =>
        rowKey == Case(caseId)
        || rowKey.StartsWith(ReportPrefix(caseId), StringComparison.Ordinal)
        || rowKey.StartsWith(AuditPrefix(caseId), StringComparison.Ordinal)
        || rowKey.StartsWith(FollowerPrefix(caseId), StringComparison.Ordinal)
        || rowKey.StartsWith($"reporter|{caseId}|", StringComparison.Ordinal);

    public static string Follower(string caseId, string userId) => FollowerPrefix(caseId) + TableKey.For(userId);

    public static string OutboxPrefix(string commitId) => $"outbox|{commitId}|";

    public static string Outbox(string commitId, int index) => $"{OutboxPrefix(commitId)}{index:D3}";

    /// <summary>Every key starting with <paramref name="prefix"/> is ≥ the prefix and &lt; this bound.</summary>
    public static string UpperBound(string prefix) => prefix[..^1] + (char)(prefix[^1] + 1);
}
