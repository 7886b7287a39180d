using Microsoft.Extensions.Time.Testing;
using Relay.Core.Cases;
using Relay.Core.Identifiers;
using Relay.Core.Reports;

namespace Relay.Tests.Contracts;

/// <summary>
/// The dashboard's listing filters (<see cref="CaseQuery"/>) on every adapter of <see cref="ICaseStore"/>: each filter
/// must give exactly what <see cref="CaseQuery.Matches"/> defines, newest first, and paging must neither skip nor repeat.
/// </summary>
public abstract class CaseListingContract : IAsyncLifetime
{
    private static readonly RoomId RoomA = RoomId.Parse("!a:contract.test");
    private static readonly RoomId RoomB = RoomId.Parse("!b:contract.test");
    private static readonly RoomId Incident = RoomId.Parse("!incident:contract.test");
    private static readonly UserId Offender = UserId.Parse("@spammer:evil.test");

    private readonly List<Case> _all = [];

    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 7, 1, 12, 0, 0, TimeSpan.Zero).AddTicks(1_234_567));

    private ReportSamples Samples => _samples ??= new ReportSamples(Time);

    private ReportSamples? _samples;

    private (IReportStore Reports, ICaseStore Cases, ICaseWriteStore Writes) Stores { get; set; }

    protected abstract Task<(IReportStore Reports, ICaseStore Cases, ICaseWriteStore Writes)> CreateStoresAsync();

    public async Task InitializeAsync()
    {
        Stores = await CreateStoresAsync();
        var now = Time.GetUtcNow();
        await OpenAsync(new ReportTarget.RoomTarget(RoomA), "m.spam", CaseState.Open, now.AddMinutes(-5));
        await OpenAsync(Event(RoomA), "m.spam.fraud", CaseState.Acknowledged, null);
        await OpenAsync(Event(RoomB), "m.child_safety", CaseState.Open, now.AddHours(1));
        await OpenAsync(new ReportTarget.UserTarget(Offender), null, CaseState.Escalated, now.AddMinutes(-1));
        await OpenAsync(Event(RoomB), "m.spam", CaseState.Resolved, null);
        await OpenAsync(Event(RoomA), "m.harassment", CaseState.Open, now);
        // Past the case-room budget: two cases gathered into one incident, one into another.
        await OpenAsync(Event(RoomB), "m.spam", CaseState.Open, null, incident: Incident);
        await OpenAsync(Event(RoomB), null, CaseState.Acknowledged, null, incident: Incident);
        await OpenAsync(Event(RoomA), null, CaseState.Open, null, incident: RoomId.Parse("!other-incident:contract.test"));
        // Two cases opened in the same tick: ids break the tie.
        await OpenAsync(Event(RoomA), "m.spam", CaseState.Open, null, advance: false);
        // Invite spam into a room named like one of the community's: the community's moderators own it, not the room's.
        await OpenAsync(new ReportTarget.RoomTarget(RoomB, Offender), "m.spam", CaseState.Open, null);
    }

    public virtual Task DisposeAsync() => Task.CompletedTask;

    public static TheoryData<string> Queries => new() { "all", "state", "general category", "specific category", "rooms", "rooms and roomless", "overdue", "combined", "incident" };

    [Theory]
    [MemberData(nameof(Queries))]
    public async Task Each_filter_lists_exactly_the_matching_cases_newest_first(string name)
    {
        var query = Query(name);

        var listed = await Stores.Cases.ListCasesAsync(query);

        var expected = _all.Where(query.Matches).OrderByDescending(c => c.OpenedAt).ThenByDescending(c => c.Id.Value, StringComparer.Ordinal);
        Assert.Equal(expected.Select(c => c.Id), listed.Select(c => c.Id));
        Assert.NotEmpty(listed);
    }

    [Fact]
    public async Task Paging_by_cursor_visits_every_case_once_in_order()
    {
        var seen = new List<CaseId>();
        CaseCursor? after = null;
        while (true)
        {
            var page = await Stores.Cases.ListCasesAsync(new CaseQuery(Limit: 2) { After = after });
            if (page.Count == 0)
            {
                break;
            }
            seen.AddRange(page.Select(c => c.Id));
            after = CaseCursor.Of(page[^1]);
        }

        Assert.Equal((await Stores.Cases.ListCasesAsync(new CaseQuery())).Select(c => c.Id), seen);
        Assert.Equal(_all.Count, seen.Count);
    }

    [Fact]
    public async Task An_invite_spam_case_is_listed_with_the_roomless_cases_never_under_its_room()
    {
        var invite = _all.Single(c => c.Target is ReportTarget.RoomTarget { IsInvite: true });

        Assert.DoesNotContain(invite.Id, (await Stores.Cases.ListCasesAsync(new CaseQuery { Rooms = [RoomB] })).Select(c => c.Id));
        Assert.Contains(invite.Id, (await Stores.Cases.ListCasesAsync(new CaseQuery { Rooms = [RoomB], IncludeWithoutRoom = true })).Select(c => c.Id));
    }

    [Fact]
    public void A_cursor_survives_a_link()
    {
        var cursor = new CaseCursor(Time.GetUtcNow(), _all[0].Id);

        Assert.True(CaseCursor.TryParse(cursor.ToString(), out var parsed));
        Assert.Equal(cursor, parsed);
        Assert.False(CaseCursor.TryParse("12.not-a-case", out _));
        Assert.False(CaseCursor.TryParse("", out _));
    }

    private CaseQuery Query(string name) => name switch
    {
        "all" => new CaseQuery(),
        "state" => new CaseQuery(CaseState.Open),
        "general category" => new CaseQuery { Category = HarmCategory.Parse("m.spam") },
        "specific category" => new CaseQuery { Category = HarmCategory.Parse("m.spam.fraud") },
        "rooms" => new CaseQuery { Rooms = [RoomB] },
        "rooms and roomless" => new CaseQuery { Rooms = [RoomB], IncludeWithoutRoom = true },
        "overdue" => new CaseQuery { DueBy = Time.GetUtcNow() },
        "incident" => new CaseQuery { Incident = Incident },
        "combined" => new CaseQuery(CaseState.Open) { Rooms = [RoomA], Category = HarmCategory.Parse("m.spam"), DueBy = Time.GetUtcNow() },
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    private ReportTarget Event(RoomId room) => new ReportTarget.Event(room, EventId.Parse("$" + Samples.NewId() + ":contract.test"), Offender, "m.room.message");

    private async Task OpenAsync(ReportTarget target, string? category, CaseState state, DateTimeOffset? due, bool advance = true,
        RoomId? incident = null)
    {
        if (advance)
        {
            Time.Advance(TimeSpan.FromSeconds(1));
        }
        var harm = category is null ? (HarmCategory?)null : HarmCategory.Parse(category);
        var commit = Samples.Commit(null, target, ReportSamples.Hash('a'), harm, adjust: c => c with { NextDueAt = due });
        await Stores.Reports.CommitAsync(commit);
        var stored = (await Stores.Cases.GetCaseAsync(commit.Case.Id))!;
        if (stored.State != state || incident is not null)
        {
            stored = await Stores.Writes.UpdateCaseAsync(stored with { State = state, Incident = incident }, [], []);
        }
        _all.Add(stored);
    }
}
