using Relay.Core.Escalation;

namespace Relay.Core.Tests.Statistics;

public sealed class EscalationAuditTests
{
    [Fact]
    public void A_climb_reads_back_the_tier_it_reached()
    {
        Assert.True(EscalationAudit.TryReadEscalatedTo(EscalationAudit.EscalatedDetail(1, 12, "the (odd) tier", "why: → 3"), out var tier));
        Assert.Equal(12, tier);
    }

    [Fact]
    public void Queued_deliveries_read_back_their_tier_and_channels()
    {
        Assert.True(EscalationAudit.TryReadQueued(EscalationAudit.QueuedDetail(5, [ChannelKinds.Evidence, ChannelKinds.CyberTipline]),
            out var tier, out var channels));
        Assert.Equal(5, tier);
        Assert.Equal([ChannelKinds.Evidence, ChannelKinds.CyberTipline], channels);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("tier two → three")]
    [InlineData("moved up")]
    public void Lines_in_another_shape_are_skipped(string? detail)
    {
        Assert.False(EscalationAudit.TryReadEscalatedTo(detail, out _));
        Assert.False(EscalationAudit.TryReadQueued(detail, out _, out _));
    }
}
