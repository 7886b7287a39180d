using Relay.Core.Cases;
using Relay.Core.Reports;

namespace Relay.Tests.Contracts;

/// <summary>Cases about an offender: one open case per group key, whichever of the offender's events is reported.</summary>
public abstract partial class ReportStoreContract
{
    [Fact]
    public async Task Reports_about_two_events_of_one_offender_join_the_case_of_its_group_key()
    {
        await using var store = await CreateStoreAsync();
        var first = Samples.EventTarget();
        var second = Samples.EventTarget();
        var opening = Samples.Commit(null, first, ReportSamples.Hash('a'), key: ReportSamples.OffenderKey);
        await store.Reports.CommitAsync(opening);

        var open = await store.Reports.FindOpenCaseAsync(ReportSamples.OffenderKey, ReportSamples.Hash('a'));
        Assert.NotNull(open);
        Assert.True(open.ReporterAlreadyCounted, "a reporter counts once across the offender's events");
        Assert.Equal(ReportSamples.OffenderKey, open.Case.DedupeKey);
        Assert.Equal(first, open.Case.Target);
        Assert.Null(await store.Reports.FindOpenCaseAsync(first.DedupeKey, ReportSamples.Hash('a')));
        Time.Advance(TimeSpan.FromSeconds(1));
        var joining = Samples.Commit(open, second, ReportSamples.Hash('a'), key: ReportSamples.OffenderKey);
        await store.Reports.CommitAsync(joining);

        var stored = await store.Cases.GetCaseAsync(opening.Case.Id);
        Assert.Equal(joining.Case with { ETag = null }, stored! with { ETag = null });
        Assert.Equal(1, stored.ReporterCount);
        Assert.Equal(2, stored.ReportCount);
        Assert.Equal([first, second], (await store.Cases.GetReportsAsync(opening.Case.Id)).Select(r => (ReportTarget)r.Target));
    }

    [Fact]
    public async Task Invites_to_two_rooms_from_one_inviter_join_the_inviters_case_and_keep_each_room_and_the_inviter()
    {
        await using var store = await CreateStoreAsync();
        var inviter = Relay.Core.Identifiers.UserId.Parse("@mallory:evil.example");
        var key = CaseGrouping.InviterKey(inviter);
        var first = new ReportTarget.RoomTarget(Relay.Core.Identifiers.RoomId.Parse("!one:evil.example"), inviter);
        var second = new ReportTarget.RoomTarget(Relay.Core.Identifiers.RoomId.Parse("!two:evil.example"), inviter);
        var opening = Samples.Commit(null, first, ReportSamples.Hash('a'), key: key);
        await store.Reports.CommitAsync(opening);
        var open = await store.Reports.FindOpenCaseAsync(key, ReportSamples.Hash('b'));
        Assert.NotNull(open);
        Assert.False(open.ReporterAlreadyCounted);
        Time.Advance(TimeSpan.FromSeconds(1));
        await store.Reports.CommitAsync(Samples.Commit(open, second, ReportSamples.Hash('b'), key: key));

        await using var reopened = await store.ReopenAsync();
        var stored = (await reopened.Cases.GetCaseAsync(opening.Case.Id))!;
        Assert.Equal(first, stored.Target);
        Assert.Null(stored.Target.Room);
        Assert.Equal(inviter, stored.Target.ReportedUser);
        Assert.Equal(key, stored.DedupeKey);
        Assert.Equal(2, stored.ReporterCount);
        Assert.Equal([first, second], (await reopened.Cases.GetReportsAsync(opening.Case.Id)).Select(r => r.Target));
        Assert.Null(await reopened.Reports.FindOpenCaseAsync(first.DedupeKey, ReportSamples.Hash('c')));
    }

    [Fact]
    public async Task Group_key_survives_a_restart_and_a_closed_offender_case_frees_it()
    {
        await using var store = await CreateStoreAsync();
        var opening = Samples.Commit(null, Samples.EventTarget(), ReportSamples.Hash('a'), key: ReportSamples.OffenderKey);
        await store.Reports.CommitAsync(opening);
        await using var reopened = await store.ReopenAsync();
        var open = await reopened.Reports.FindOpenCaseAsync(ReportSamples.OffenderKey, ReportSamples.Hash('b'));
        Assert.Equal(ReportSamples.OffenderKey, open!.Case.GroupKey);

        await reopened.Reports.CommitAsync(Samples.Commit(open, Samples.EventTarget(), ReportSamples.Hash('b'),
            adjust: c => c with { State = CaseState.Resolved }, key: ReportSamples.OffenderKey));

        Assert.Null(await reopened.Reports.FindOpenCaseAsync(ReportSamples.OffenderKey, ReportSamples.Hash('c')));
        var next = Samples.Commit(null, Samples.EventTarget(), ReportSamples.Hash('c'), key: ReportSamples.OffenderKey);
        await reopened.Reports.CommitAsync(next);
        Assert.Equal(next.Case.Id, (await reopened.Reports.FindOpenCaseAsync(ReportSamples.OffenderKey, ReportSamples.Hash('c')))!.Case.Id);
    }
}
