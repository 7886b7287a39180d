using Relay.Core.Cases;
using Relay.Core.Escalation;

namespace Relay.Host.Escalation;

/// <summary>
/// The escalation store ports on a runtime that has no adapter for them yet (Azure: the Table Storage adapter is to
/// follow). Every use fails with words for the audit trail, so an evidence delivery is retried and finally dead-lettered,
/// never silently dropped, and the sweep reports the part as failing.
/// </summary>
public sealed class UnavailableEscalationStore : IEscalationStore, IEvidenceStore
{
    private static EscalationChannelException Unavailable() =>
        new("this runtime has no escalation store yet (Table Storage adapter pending); use the embedded runtime for evidence and the sweep");

    public Task<IReadOnlyList<Case>> ListOverdueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default) =>
        throw Unavailable();

    public Task<EvidenceItem> PreserveAsync(EvidenceItem item, CancellationToken cancellationToken = default) => throw Unavailable();

    public Task<IReadOnlyList<EvidenceItem>> GetAsync(CaseId id, CancellationToken cancellationToken = default) => throw Unavailable();

    public Task<int> PurgeExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken = default) => throw Unavailable();
}
