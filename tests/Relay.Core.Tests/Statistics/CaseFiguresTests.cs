using Relay.Core.Cases;
using Relay.Core.Reports;
using Relay.Core.Statistics;

namespace Relay.Core.Tests.Statistics;

public sealed class CaseFiguresTests
{
    private static readonly ReportingPeriod Week = new(Histories.At(0), Histories.At(7));
    private static readonly DateTimeOffset Generated = Histories.At(30);

    private readonly Histories _h = new();

    [Fact]
    public void An_empty_period_has_a_zero_for_every_day_and_nothing_else()
    {
        var figures = CaseFigures.Compute([], Week, Generated);

        Assert.Equal(7, figures.ReportsPerDay.Count);
        Assert.All(figures.ReportsPerDay, d => Assert.Equal(0, d.Count));
        Assert.Equal(new DateOnly(2026, 4, 1), figures.ReportsPerDay[0].Day);
        Assert.Empty(figures.CasesByCategory);
        Assert.Equal(new DurationFigures(0, null, null), figures.TimeToAcknowledge);
        Assert.Equal(new DurationFigures(0, null, null), figures.TimeToClose);
        Assert.Empty(figures.EscalationsByTier);
        Assert.Equal((Week, Generated), (figures.Period, figures.GeneratedAt));
    }

    [Fact]
    public void Reports_are_counted_on_the_utc_day_they_arrived_and_only_inside_the_period()
    {
        var history = _h.Case(-1).Report(-1).Report(0.1).Report(0.9).Report(3.5).Report(7).Build();

        var perDay = CaseFigures.Compute([history], Week, Generated).ReportsPerDay;

        Assert.Equal([2, 0, 0, 1, 0, 0, 0], perDay.Select(d => d.Count));
    }

    [Fact]
    public void Cases_opened_in_the_period_are_grouped_by_category_largest_first_uncategorised_as_unspecified()
    {
        CaseHistory[] histories =
        [
            _h.Case(1, "m.harassment").Build(), _h.Case(2, "m.spam").Build(), _h.Case(3, "m.spam").Build(),
            _h.Case(4, null).Build(), _h.Case(-2, "m.spam").Build(), _h.Case(8, "m.spam").Build(),
        ];

        var byCategory = CaseFigures.Compute(histories, Week, Generated).CasesByCategory;

        Assert.Equal([new NamedCount("m.spam", 2), new NamedCount("m.harassment", 1), new NamedCount("unspecified", 1)], byCategory);
    }

    [Fact]
    public void Time_to_acknowledge_runs_from_opening_to_the_first_answer_which_may_be_closing_straight_away()
    {
        CaseHistory[] histories =
        [
            _h.Case(0).Acknowledge(0.5).Close(2).Build(),
            _h.Case(1).Close(1.25, CaseState.Dismissed).Build(),
            _h.Case(2).Build(),
            _h.Case(-10).Acknowledge(-9).Build(),
        ];

        var figures = CaseFigures.Compute(histories, Week, Generated);

        Assert.Equal(new DurationFigures(2, TimeSpan.FromHours(9), TimeSpan.FromHours(12)), figures.TimeToAcknowledge);
        Assert.Equal(new DurationFigures(2, TimeSpan.FromHours(27), TimeSpan.FromDays(2)), figures.TimeToClose);
    }

    [Fact]
    public void Time_to_close_counts_cases_closed_in_the_period_even_when_opened_before_it()
    {
        var history = _h.Case(-3).Close(1).Build();

        Assert.Equal(TimeSpan.FromDays(4), CaseFigures.Compute([history], Week, Generated).TimeToClose.Median);
    }

    [Fact]
    public void Escalations_are_counted_by_the_tier_each_climb_reached_inside_the_period()
    {
        CaseHistory[] histories =
        [
            _h.Case(0).Escalate(0.1, 2).Escalate(0.3, 3).Build(),
            _h.Case(1).Escalate(1, 2, "@mod:example.org").Build(),
            _h.Case(2).Escalate(2, 5, "operator:root", "evidence", "cybertipline").Build(),
            _h.Case(-5).Escalate(-4, 2).Build(),
        ];

        var byTier = CaseFigures.Compute(histories, Week, Generated).EscalationsByTier;

        Assert.Equal([new TierCount(2, 2), new TierCount(3, 1), new TierCount(5, 1)], byTier);
    }

    [Fact]
    public void A_period_is_whole_utc_days_with_the_last_included_and_must_end_after_it_starts()
    {
        var period = ReportingPeriod.Days(new DateOnly(2026, 4, 1), new DateOnly(2026, 4, 30));

        Assert.Equal((Histories.At(0), Histories.At(30)), (period.From, period.To));
        Assert.Equal(30, period.EachDay().Count());
        Assert.Throws<ArgumentException>(() => new ReportingPeriod(Histories.At(1), Histories.At(1)));
    }
}
