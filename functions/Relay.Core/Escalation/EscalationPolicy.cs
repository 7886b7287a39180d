using Relay.Core.Cases;
using Relay.Core.Reports;

namespace Relay.Core.Escalation;

/// <summary>
/// The escalation policy: an ordered ladder of tiers, numbered from 1 (the case room's moderators). A case that
/// nobody acknowledges climbs one tier each time its tier's <see cref="EscalationTier.Deadline"/> passes; a tier's
/// <see cref="EscalationTier.Triggers"/> send a case straight to it. Data, not code: built from configuration by
/// <see cref="PolicyDefinition.TryBuild"/>, or <see cref="Default"/>.
/// </summary>
public sealed class EscalationPolicy
{
    public EscalationPolicy(IReadOnlyList<EscalationTier> tiers)
    {
        if (tiers.Count == 0)
        {
            throw new ArgumentException("A policy needs at least one tier.", nameof(tiers));
        }
        for (var i = 0; i < tiers.Count; i++)
        {
            if (tiers[i].Number != i + 1)
            {
                throw new ArgumentException($"Tier {i + 1} is numbered {tiers[i].Number}.", nameof(tiers));
            }
        }
        Tiers = tiers;
    }

    public IReadOnlyList<EscalationTier> Tiers { get; }

    public EscalationTier Last => Tiers[^1];

    /// <summary>The tier numbered <paramref name="number"/>, or null when the policy has no such tier (it shrank).</summary>
    public EscalationTier? Tier(int number) => number >= 1 && number <= Tiers.Count ? Tiers[number - 1] : null;

    /// <summary>Tiers above the case's whose category or reporter-count trigger the case now meets, lowest first.</summary>
    public IReadOnlyList<EscalationTier> TriggeredAbove(Case c) =>
        [.. Tiers.Where(t => t.Number > c.Tier && t.Triggers.MatchWhy(c) is not null)];

    /// <summary>
    /// The built-in ladder: room moderators (1 h) → community admins (4 h) → the offending user's homeserver admins
    /// (24 h) → the hosting provider → the authorities. Deadlines stop at the hosting provider: only a child-safety
    /// category, a moderator or an operator sends a case to the authorities. Five distinct reporters bring in the
    /// community admins; <c>m.child_safety</c> goes to the hosting provider and the authorities at once, with evidence.
    /// </summary>
    public static EscalationPolicy Default { get; } = new(
    [
        new EscalationTier(1, "room moderators", [], TimeSpan.FromHours(1), TierTriggers.None),
        new EscalationTier(2, "community admins", [ChannelKinds.CommunityAdmins], TimeSpan.FromHours(4),
            new TierTriggers([], DistinctReporters: 5, ModeratorCommand: true)),
        new EscalationTier(3, "the reported user's homeserver admins", [ChannelKinds.HomeserverAdmins], TimeSpan.FromHours(24),
            new TierTriggers([], null, ModeratorCommand: true)),
        new EscalationTier(4, "the hosting provider", [ChannelKinds.HostingEmail, ChannelKinds.HostingWebhook], null,
            new TierTriggers(["m.child_safety"], null, ModeratorCommand: true)),
        new EscalationTier(5, "the authorities", [ChannelKinds.Evidence, ChannelKinds.CyberTipline, ChannelKinds.AuthoritiesWebhook], null,
            new TierTriggers(["m.child_safety"], null, ModeratorCommand: true)),
    ]);
}

/// <summary>
/// One rung of the ladder. <see cref="Channels"/> are delivered when a case reaches it (each one its own retried
/// <c>escalation.deliver</c> message); <see cref="Deadline"/> is how long a case may sit here unacknowledged
/// (null: it stays until someone acts).
/// </summary>
public sealed record EscalationTier(int Number, string Name, IReadOnlyList<string> Channels, TimeSpan? Deadline, TierTriggers Triggers)
{
    public override string ToString() => $"tier {Number} ({Name})";
}

/// <summary>
/// What sends a case straight to a tier: a category (an MSC4456 identifier; its sub-categories match too), a
/// number of distinct reporters, or a moderator's <c>!escalate</c> (which climbs to the next tier that allows it).
/// </summary>
public sealed record TierTriggers(IReadOnlyList<string> Categories, int? DistinctReporters, bool ModeratorCommand)
{
    public static TierTriggers None { get; } = new([], null, false);

    /// <summary>Why <paramref name="c"/> meets these triggers, for the audit trail; null when it does not.</summary>
    public string? MatchWhy(Case c)
    {
        if (c.Category is { } category && Categories.FirstOrDefault(prefix => Matches(category, prefix)) is { } matched)
        {
            return $"category {category.Id} matches {matched}";
        }
        if (DistinctReporters is { } threshold && c.ReporterCount >= threshold)
        {
            return $"{c.ReporterCount} distinct reporters (threshold {threshold})";
        }
        return null;
    }

    private static bool Matches(HarmCategory category, string prefix) =>
        category.Id == prefix || category.Id.StartsWith(prefix + ".", StringComparison.Ordinal);
}

/// <summary>The channel kinds a tier may name; each has one adapter behind <see cref="IEscalationChannel"/>.</summary>
public static class ChannelKinds
{
    /// <summary>A notice in the case room naming the tier and the next deadline; added to every tier change.</summary>
    public const string CaseRoom = "case_room";

    /// <summary>Invites the community admins (power level 100 in the reported room, or Relay__Community__Admins) to the case room.</summary>
    public const string CommunityAdmins = "community_admins";

    /// <summary>The reported user's homeserver admins from <c>/.well-known/matrix/support</c>: DM by Matrix, mail by SMTP.</summary>
    public const string HomeserverAdmins = "homeserver_admins";

    /// <summary>The hosting provider's abuse address, by SMTP.</summary>
    public const string HostingEmail = "hosting_email";

    /// <summary>The hosting provider's webhook, signed.</summary>
    public const string HostingWebhook = "hosting_webhook";

    /// <summary>Preserves the reported event as the bot sees it (JSON and SHA-256), for the authorities.</summary>
    public const string Evidence = "evidence";

    /// <summary>NCMEC's CyberTipline (child-safety categories only).</summary>
    public const string CyberTipline = "cybertipline";

    /// <summary>A configured authorities' webhook, signed.</summary>
    public const string AuthoritiesWebhook = "authorities_webhook";

    /// <summary>The kinds a policy may list (the case-room notice is implicit).</summary>
    public static IReadOnlyList<string> Configurable { get; } =
        [CommunityAdmins, HomeserverAdmins, HostingEmail, HostingWebhook, Evidence, CyberTipline, AuthoritiesWebhook];
}
