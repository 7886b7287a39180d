using Relay.Core.Identifiers;

namespace Relay.Core.Cases.Rooms;

/// <summary>What <see cref="CaseFollowUp.OptInAsync"/> did.</summary>
public enum FollowUpOutcome
{
    /// <summary>Recorded; the reporter is invited now or when the case room opens.</summary>
    OptedIn,

    NoSuchCase,

    /// <summary>Only someone who reported into the case may follow it.</summary>
    NotAReporter,

    /// <summary>The case is closed; nothing left to follow.</summary>
    Closed,
}

/// <summary>
/// A reporter's opt-in to follow their case in its room (wired to <c>!followup</c> in the bot DM and to the
/// web form). They are invited at power level -1: they can read, not act. Matrix shows their own profile
/// when they join; Relay cannot hide it, so the opt-in text must say so.
/// </summary>
public sealed class CaseFollowUp(ICaseStore cases, ICaseWriteStore writes, CaseMembership membership, TimeProvider time)
{
    public async Task<FollowUpOutcome> OptInAsync(CaseId id, UserId reporter, CancellationToken cancellationToken = default)
    {
        if (await cases.GetCaseAsync(id, cancellationToken) is not { } c)
        {
            return FollowUpOutcome.NoSuchCase;
        }
        var report = (await cases.GetReportsAsync(id, cancellationToken)).FirstOrDefault(r => r.Reporter == reporter);
        if (report is null)
        {
            return FollowUpOutcome.NotAReporter;
        }
        if (!c.State.IsOpen())
        {
            return FollowUpOutcome.Closed;
        }
        var now = time.GetUtcNow();
        await writes.AddFollowerAsync(id, reporter, now, cancellationToken);
        var audit = new List<AuditEntry> { new(id, now, AuditEntry.Reporter(report.ReporterHash), "reporter.opted_in") };
        await membership.InviteReporterAsync(c, reporter, audit, cancellationToken);
        await writes.AppendAuditAsync(audit, cancellationToken);
        return FollowUpOutcome.OptedIn;
    }
}
