using System.Globalization;
using Relay.Core.Cases;
using Relay.Core.Cases.Rooms;
using Relay.Core.Queue;
using Relay.Core.Text;

namespace Relay.Core.Escalation;

/// <summary>What <see cref="Escalator"/> did to a case.</summary>
public abstract record EscalationOutcome
{
    private EscalationOutcome()
    {
    }

    /// <summary>The case moved from tier <see cref="From"/> to <see cref="Case.Tier"/>; its deliveries are queued.</summary>
    public sealed record Escalated(Case Case, int From) : EscalationOutcome;

    /// <summary>Nothing to do (stale or duplicate deadline, nothing triggered); <see cref="Why"/> is for logs and tests.</summary>
    public sealed record Unchanged(string Why) : EscalationOutcome;

    /// <summary>The request is not allowed; <see cref="Reason"/> is told to whoever asked.</summary>
    public sealed record Refused(string Reason) : EscalationOutcome;

    public sealed record NotFound : EscalationOutcome;
}

/// <summary>
/// Moves cases up the <see cref="EscalationPolicy"/>. Every change is one optimistic write of the case with its audit
/// lines (actor, time, reason) and its outbox: the next deadline as a scheduled <c>case.due</c>, and one
/// <c>escalation.deliver</c> per channel of each tier reached, plus the case-room notice. Nothing here talks to the
/// outside world, so the CLI can escalate against the store alone and the running Relay delivers.
/// </summary>
public sealed class Escalator(ICaseStore cases, ICaseWriteStore writes, EscalationPolicy policy, TimeProvider time)
{
    public EscalationPolicy Policy => policy;

    /// <summary>
    /// The review after every report (the <c>report.received</c> handler), as the edit to write, or null when there is
    /// nothing to: send the case to the highest tier whose category or reporter-count trigger it now meets, or else
    /// schedule its current tier's deadline if none is pending. The handler writes it with a change of its own (the case
    /// room's record) in one commit, or alone.
    /// </summary>
    public CaseEdit? Review(Case current)
    {
        if (current.State is not (CaseState.Open or CaseState.Escalated))
        {
            return null;
        }
        var triggered = policy.TriggeredAbove(current);
        if (triggered.Count > 0)
        {
            var why = string.Join("; ", triggered.Select(t => t.Triggers.MatchWhy(current)).Distinct());
            return Climb(current, triggered[^1].Number, triggered, AuditEntry.System, why, CaseTrigger.Escalate).Edit;
        }
        if (current.NextDueAt is null && policy.Tier(current.Tier)?.Deadline is { } deadline)
        {
            var now = time.GetUtcNow();
            var due = (current.Tier == 1 ? current.OpenedAt : now) + deadline;
            return new CaseEdit(current with { NextDueAt = due, UpdatedAt = now },
                [Audit(current, now, AuditEntry.System, "escalation.scheduled", $"tier {current.Tier} deadline {Time(due)}")],
                [CaseDue.ToMessage(current.Id, current.Tier, due)]);
        }
        return null;
    }

    /// <summary>
    /// A <c>case.due</c> for <paramref name="tier"/> fired: if the stored case is still unacknowledged at that tier and
    /// its deadline has passed, it climbs one tier; anything else (acknowledged, already moved, duplicate, early) is stale.
    /// </summary>
    public Task<EscalationOutcome> DeadlineAsync(CaseId id, int tier, CancellationToken cancellationToken = default) =>
        ApplyAsync(id, current =>
        {
            var now = time.GetUtcNow();
            if (current.Tier != tier || current.NextDueAt is not { } due || due > now)
            {
                return (null, new EscalationOutcome.Unchanged(
                    $"stale: the case is at tier {current.Tier}, due {(current.NextDueAt is { } d ? Time(d) : "never")}"));
            }
            if (CaseWorkflow.Transition(current.State, CaseTrigger.Deadline) is TransitionOutcome.Refused refused)
            {
                return (null, new EscalationOutcome.Unchanged("stale: " + refused.Reason));
            }
            var at = policy.Tier(tier);
            if (policy.Tier(tier + 1) is not { } next)
            {
                return (new CaseEdit(current with { NextDueAt = null, UpdatedAt = now },
                        [Audit(current, now, AuditEntry.System, "escalation.deadline_passed", $"tier {tier} is the last tier")]),
                    new EscalationOutcome.Unchanged("the last tier's deadline passed"));
            }
            var waited = at?.Deadline is { } deadline ? $" within {Duration(deadline)}" : "";
            return Climb(current, next.Number, [next], AuditEntry.System, $"nobody acknowledged{waited} at tier {tier}", CaseTrigger.Deadline);
        }, cancellationToken);

    /// <summary>
    /// A moderator's <c>!escalate</c> (<paramref name="toTier"/> null, <paramref name="byModerator"/> true: the next tier that
    /// allows it) or an operator's <c>relay cases escalate</c> (the next tier, or <paramref name="toTier"/>).
    /// </summary>
    public Task<EscalationOutcome> EscalateAsync(CaseId id, string actor, string reason, int? toTier, bool byModerator,
        CancellationToken cancellationToken = default) =>
        ApplyAsync(id, current =>
        {
            if (CaseWorkflow.Transition(current.State, CaseTrigger.Escalate) is TransitionOutcome.Refused refused)
            {
                return (null, new EscalationOutcome.Refused(refused.Reason));
            }
            EscalationTier? target;
            if (toTier is { } wanted)
            {
                target = policy.Tier(wanted);
                if (target is null)
                {
                    return (null, new EscalationOutcome.Refused($"The policy has tiers 1 to {policy.Tiers.Count}; there is no tier {wanted}."));
                }
                if (wanted <= current.Tier)
                {
                    return (null, new EscalationOutcome.Refused($"The case is already at tier {current.Tier}; escalation only goes up."));
                }
            }
            else
            {
                target = policy.Tiers.FirstOrDefault(t => t.Number > current.Tier && (!byModerator || t.Triggers.ModeratorCommand));
                if (target is null)
                {
                    return (null, new EscalationOutcome.Refused(
                        $"The case is at tier {current.Tier} ({policy.Tier(current.Tier)?.Name ?? "unknown"}), the last tier {(byModerator ? "a moderator can reach" : "of the policy")}."));
                }
            }
            return Climb(current, target.Number, [target], actor, reason, CaseTrigger.Escalate);
        }, cancellationToken);

    private (CaseEdit? Edit, EscalationOutcome? Outcome) Climb(Case current, int target, IReadOnlyList<EscalationTier> deliver, string actor,
        string reason, CaseTrigger trigger)
    {
        var now = time.GetUtcNow();
        var tier = policy.Tiers[target - 1];
        var state = CaseWorkflow.Transition(current.State, trigger) is TransitionOutcome.Moves moves ? moves.To : current.State;
        DateTimeOffset? due = tier.Deadline is { } deadline ? now + deadline : null;
        var updated = current with { State = state, Tier = target, NextDueAt = due, UpdatedAt = now };
        var audit = new List<AuditEntry>
        {
            Audit(current, now, actor, EscalationAudit.Escalated, EscalationAudit.EscalatedDetail(current.Tier, target, tier.Name, reason)),
        };
        var outbox = new List<QueueMessage> { EscalationDeliver.ToMessage(current.Id, target, ChannelKinds.CaseRoom, reason) };
        if (due is { } at)
        {
            audit.Add(Audit(current, now, AuditEntry.System, "escalation.scheduled", $"tier {target} deadline {Time(at)}"));
            outbox.Add(CaseDue.ToMessage(current.Id, target, at));
        }
        foreach (var reached in deliver)
        {
            if (reached.Channels.Count == 0)
            {
                continue;
            }
            audit.Add(Audit(current, now, AuditEntry.System, EscalationAudit.Queued, EscalationAudit.QueuedDetail(reached.Number, reached.Channels)));
            outbox.AddRange(reached.Channels.Select(channel => EscalationDeliver.ToMessage(current.Id, reached.Number, channel, reason)));
        }
        return (new CaseEdit(updated, audit, outbox), null);
    }

    /// <summary>
    /// Runs <paramref name="decide"/> under optimistic concurrency. It returns the edit to write (its outcome is then
    /// Escalated) or the outcome when there is nothing to write.
    /// </summary>
    private async Task<EscalationOutcome> ApplyAsync(CaseId id, Func<Case, (CaseEdit? Edit, EscalationOutcome? Outcome)> decide,
        CancellationToken cancellationToken)
    {
        EscalationOutcome? outcome = null;
        var from = 0;
        var stored = await CaseUpdates.ApplyAsync(cases, writes, id, current =>
        {
            var (edit, result) = decide(current);
            outcome = result;
            from = current.Tier;
            return edit;
        }, cancellationToken);
        if (stored is null)
        {
            return new EscalationOutcome.NotFound();
        }
        return outcome ?? new EscalationOutcome.Escalated(stored, from);
    }

    private static AuditEntry Audit(Case c, DateTimeOffset at, string actor, string action, string detail) => new(c.Id, at, actor, action, detail);

    public static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    public static string Duration(TimeSpan span) =>
        span.TotalDays >= 1 && span.TotalDays == Math.Floor(span.TotalDays) ? Counted.Of((long)span.TotalDays, "day")
        : span.TotalHours >= 1 && span.TotalHours == Math.Floor(span.TotalHours) ? Counted.Of((long)span.TotalHours, "hour")
        : Counted.Of((long)Math.Round(span.TotalMinutes), "minute");
}
