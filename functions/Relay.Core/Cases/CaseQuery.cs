using System.Globalization;
using Relay.Core.Identifiers;
using Relay.Core.Reports;

namespace Relay.Core.Cases;

/// <summary>
/// Which cases <see cref="ICaseStore.ListCasesAsync"/> returns, newest first (opened time, then id). Every filter is
/// optional and they combine with "and". <see cref="Matches"/> is the definition both adapters must agree with
/// (the contract suite checks each against it): an adapter that filters in its query language mirrors it exactly.
/// </summary>
public sealed record CaseQuery(CaseState? State = null, int Limit = 100)
{
    /// <summary>A general category (e.g. <c>m.spam</c>) matches its sub-categories too; a specific one only itself.</summary>
    public HarmCategory? Category { get; init; }

    /// <summary>Only cases about these rooms (a moderator's scope, or the one room picked); null for every room.</summary>
    public IReadOnlyCollection<RoomId>? Rooms { get; init; }

    /// <summary>With <see cref="Rooms"/>: also the cases about no room (user reports), which community moderators own.</summary>
    public bool IncludeWithoutRoom { get; init; }

    /// <summary>Only cases whose next escalation deadline has passed by this time (overdue).</summary>
    public DateTimeOffset? DueBy { get; init; }

    /// <summary>Only cases gathered into this incident room (past the case-room budget), so moderators can act from it.</summary>
    public RoomId? Incident { get; init; }

    /// <summary>Paging: only cases after this one in listing order.</summary>
    public CaseCursor? After { get; init; }

    public bool Matches(Case c)
    {
        if (State is { } state && c.State != state)
        {
            return false;
        }
        if (Category is { } category && !InCategory(c.Category, category))
        {
            return false;
        }
        if (Rooms is { } rooms && (c.Target.Room is { } room ? !rooms.Contains(room) : !IncludeWithoutRoom))
        {
            return false;
        }
        if (DueBy is { } dueBy && !(c.NextDueAt is { } due && due <= dueBy))
        {
            return false;
        }
        if (Incident is { } incident && c.Incident != incident)
        {
            return false;
        }
        return After is not { } after || after.Precedes(c);
    }

    /// <summary>The prefix a sub-category of <paramref name="category"/> starts with; null for a specific category.</summary>
    public static string? SubCategoryPrefix(HarmCategory category) => category.IsGeneral ? category.Id + "." : null;

    private static bool InCategory(HarmCategory? of, HarmCategory category) =>
        of is { } c && (c == category || (SubCategoryPrefix(category) is { } prefix && c.Id.StartsWith(prefix, StringComparison.Ordinal)));
}

/// <summary>Where a page of a case listing ended: the last case's opened time and id (ULIDs break ties).</summary>
public readonly record struct CaseCursor(DateTimeOffset OpenedAt, CaseId Id)
{
    public static CaseCursor Of(Case c) => new(c.OpenedAt, c.Id);

    /// <summary>Whether <paramref name="c"/> comes after this cursor in newest-first order.</summary>
    public bool Precedes(Case c) =>
        c.OpenedAt < OpenedAt || (c.OpenedAt == OpenedAt && string.CompareOrdinal(c.Id.Value, Id.Value) < 0);

    /// <summary>For a link: the UTC ticks and the id.</summary>
    public override string ToString() => OpenedAt.UtcTicks.ToString(CultureInfo.InvariantCulture) + "." + Id.Value;

    public static bool TryParse(string? text, out CaseCursor cursor)
    {
        cursor = default;
        var dot = text?.IndexOf('.') ?? -1;
        if (dot <= 0 || !long.TryParse(text![..dot], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            || ticks > DateTimeOffset.MaxValue.UtcTicks || !CaseId.TryParse(text[(dot + 1)..], out var id))
        {
            return false;
        }
        cursor = new CaseCursor(new DateTimeOffset(ticks, TimeSpan.Zero), id);
        return true;
    }
}
