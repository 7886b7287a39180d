using Relay.Core.Statistics;

namespace Relay.Core.Tests.Statistics;

public sealed class DurationFiguresTests
{
    private static DurationFigures Of(params int[] minutes) => DurationFigures.Of(minutes.Select(m => TimeSpan.FromMinutes(m)));

    [Fact]
    public void No_durations_give_no_median_and_no_p90() => Assert.Equal(new DurationFigures(0, null, null), Of());

    [Fact]
    public void One_duration_is_its_own_median_and_p90() =>
        Assert.Equal(new DurationFigures(1, TimeSpan.FromMinutes(7), TimeSpan.FromMinutes(7)), Of(7));

    [Fact]
    public void An_odd_count_takes_the_middle_whatever_the_input_order() =>
        Assert.Equal(TimeSpan.FromMinutes(5), Of(9, 1, 5).Median);

    [Fact]
    public void An_even_count_takes_the_mean_of_the_middle_two() =>
        Assert.Equal(TimeSpan.FromMinutes(2.5), Of(4, 1, 3, 2).Median);

    [Theory]
    [InlineData(10, 9)]
    [InlineData(11, 10)]
    [InlineData(20, 18)]
    [InlineData(2, 2)]
    public void P90_is_the_nearest_rank_so_nine_in_ten_took_at_most_that(int count, int expectedMinutes) =>
        Assert.Equal(TimeSpan.FromMinutes(expectedMinutes), Of([.. Enumerable.Range(1, count)]).P90);
}
