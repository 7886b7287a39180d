using Relay.Core.Cases;
using Relay.Core.Identifiers;
using Relay.Core.Reports;

namespace Relay.Core.Tests.Cases;

public sealed class CaseJoiningTests
{
    private static readonly DateTimeOffset Opened = new(2026, 7, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Later = Opened.AddMinutes(7);
    private static readonly CaseId ExistingId = CaseId.Parse("01J2AAAAAAAAAAAAAAAAAAAAAA");
    private static readonly CaseId NewId = CaseId.Parse("01J2BBBBBBBBBBBBBBBBBBBBBB");
    private static readonly RoomId CaseRoom = RoomId.Parse("!caseroom:relay.example");

    private static readonly ReportTarget Target = new ReportTarget.Event(
        RoomId.Parse("!room:example.org"), EventId.Parse("$ev:example.org"),
        UserId.Parse("@spammer:evil.example"), "m.room.message");

    private static HarmCategory Harm(string id) => HarmCategory.Parse(id);

    private static Case Existing(CaseState state = CaseState.Open, HarmCategory? category = null,
        int reporters = 2, int reports = 3) =>
        new(ExistingId, Target, state, Tier: 2, category, reporters, reports, Opened, Opened, CaseRoom, ETag: "W/\"7\"");

    [Fact]
    public void No_open_case_opens_a_new_case_with_one_reporter()
    {
        var change = CaseJoining.Join(null, Target, Harm("m.spam"), NewId, Later);

        Assert.True(change.IsNew);
        Assert.True(change.NewReporter);
        var c = change.Case;
        Assert.Equal(NewId, c.Id);
        Assert.Equal(Target, c.Target);
        Assert.Equal(CaseState.Open, c.State);
        Assert.Equal(1, c.Tier);
        Assert.Equal(Harm("m.spam"), c.Category);
        Assert.Equal(1, c.ReporterCount);
        Assert.Equal(1, c.ReportCount);
        Assert.Equal(Later, c.OpenedAt);
        Assert.Equal(Later, c.UpdatedAt);
        Assert.Null(c.CaseRoom);
        Assert.Null(c.ETag);
    }

    [Fact]
    public void New_case_may_have_no_category() =>
        Assert.Null(CaseJoining.Join(null, Target, null, NewId, Later).Case.Category);

    [Theory]
    [InlineData(CaseState.Open)]
    [InlineData(CaseState.Acknowledged)]
    [InlineData(CaseState.Escalated)]
    public void New_reporter_joins_the_open_case_and_counts_once_more(CaseState state)
    {
        var change = CaseJoining.Join(new OpenCaseSnapshot(Existing(state), ReporterAlreadyCounted: false),
            Target, null, NewId, Later);

        Assert.False(change.IsNew);
        Assert.True(change.NewReporter);
        Assert.Equal(ExistingId, change.Case.Id);
        Assert.Equal(state, change.Case.State);
        Assert.Equal(3, change.Case.ReporterCount);
        Assert.Equal(4, change.Case.ReportCount);
    }

    [Fact]
    public void Same_reporter_again_adds_a_report_but_not_a_reporter()
    {
        var change = CaseJoining.Join(new OpenCaseSnapshot(Existing(), ReporterAlreadyCounted: true),
            Target, null, NewId, Later);

        Assert.False(change.IsNew);
        Assert.False(change.NewReporter);
        Assert.Equal(ExistingId, change.Case.Id);
        Assert.Equal(2, change.Case.ReporterCount);
        Assert.Equal(4, change.Case.ReportCount);
    }

    [Fact]
    public void Joining_keeps_what_the_case_already_has_and_moves_updated_at()
    {
        var existing = Existing();
        var joined = CaseJoining.Join(new OpenCaseSnapshot(existing, false), Target, null, NewId, Later).Case;

        Assert.Equal(Opened, joined.OpenedAt);
        Assert.Equal(Later, joined.UpdatedAt);
        Assert.Equal(existing.Tier, joined.Tier);
        Assert.Equal(CaseRoom, joined.CaseRoom);
        Assert.Equal(existing.ETag, joined.ETag);
    }

    [Theory]
    [InlineData(CaseState.Resolved, false)]
    [InlineData(CaseState.Dismissed, false)]
    [InlineData(CaseState.Resolved, true)]
    [InlineData(CaseState.Dismissed, true)]
    public void Report_on_a_closed_case_opens_a_new_case(CaseState closed, bool reporterCounted)
    {
        var change = CaseJoining.Join(new OpenCaseSnapshot(Existing(closed, Harm("m.spam")), reporterCounted),
            Target, Harm("m.harassment"), NewId, Later);

        Assert.True(change.IsNew);
        Assert.True(change.NewReporter);
        Assert.Equal(NewId, change.Case.Id);
        Assert.Equal(CaseState.Open, change.Case.State);
        Assert.Equal(1, change.Case.ReporterCount);
        Assert.Equal(1, change.Case.ReportCount);
        Assert.Equal(Harm("m.harassment"), change.Case.Category);
        Assert.Null(change.Case.CaseRoom);
        Assert.Null(change.Case.ETag);
    }

    [Theory]
    [InlineData("m.spam", "m.child_safety.csam", "m.child_safety.csam")]
    [InlineData(null, "m.child_safety", "m.child_safety")]
    [InlineData("m.other", "m.child_safety.grooming", "m.child_safety.grooming")]
    [InlineData("m.child_safety.csam", "m.child_safety.grooming", "m.child_safety.csam")]
    [InlineData("m.child_safety.grooming", "m.spam", "m.child_safety.grooming")]
    [InlineData("m.spam", "m.violence.threats", "m.spam")]
    [InlineData("m.harassment", null, "m.harassment")]
    [InlineData(null, "m.violence.threats", "m.violence.threats")]
    [InlineData(null, null, null)]
    public void Child_safety_reclassifies_a_case_and_otherwise_the_first_category_stands(
        string? current, string? incoming, string? expected)
    {
        var existing = Existing(category: current is null ? null : Harm(current));
        var change = CaseJoining.Join(new OpenCaseSnapshot(existing, false), Target,
            incoming is null ? null : Harm(incoming), NewId, Later);

        Assert.Equal(expected is null ? null : Harm(expected), change.Case.Category);
    }
}
