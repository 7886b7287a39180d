using Relay.Core.Identifiers;
using Relay.Core.Reports;

namespace Relay.Core.Cases;

/// <summary>
/// The case a report joins. <see cref="ETag"/> is the store's version of the row, checked on every
/// update (optimistic concurrency); null for a case not yet stored.
/// </summary>
public sealed record Case(
    CaseId Id,
    ReportTarget Target,
    CaseState State,
    int Tier,
    HarmCategory? Category,
    int ReporterCount,
    int ReportCount,
    DateTimeOffset OpenedAt,
    DateTimeOffset UpdatedAt,
    RoomId? CaseRoom = null,
    string? ETag = null);
