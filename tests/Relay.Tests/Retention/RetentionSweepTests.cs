using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Relay.Core.Cases;
using Relay.Core.Escalation;
using Relay.Core.Sweep;
using Relay.Host.Composition;
using Relay.Host.Retention;
using Relay.Tests.Azure;
using Relay.Tests.Cases;
using Relay.Tests.Harness;

namespace Relay.Tests.Retention;

/// <summary>The retention parts of the periodic sweep, as Relay wires them, on a clock the test moves.</summary>
public sealed class RetentionSweepTests
{
    [Fact]
    public async Task Closed_cases_go_after_the_retention_open_ones_never_and_evidence_after_its_own()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 5, 8, 0, 0, TimeSpan.Zero));
        await using var relay = await RelayHarness.StartAsync(services: services => services.AddSingleton<TimeProvider>(time));
        var world = CaseRoomWorld.Create(relay);
        var writes = relay.App.Services.GetRequiredService<ICaseWriteStore>();
        var evidence = relay.App.Services.GetRequiredService<IEvidenceStore>();
        var sweep = relay.App.Services.GetRequiredService<SweepRunner>();
        var closed = await world.OpenCaseAsync();
        await writes.UpdateCaseAsync(closed with { State = CaseState.Resolved, UpdatedAt = time.GetUtcNow() }, [], []);
        await evidence.PreserveAsync(new EvidenceItem(closed.Id, "$evidence", "{}", new string('c', 64),
            time.GetUtcNow(), time.GetUtcNow(), time.GetUtcNow(), time.GetUtcNow().AddDays(365)));
        // The world finds a new case as the newest one, so the two must not open in the same tick.
        time.Advance(TimeSpan.FromMinutes(1));
        var open = await world.OpenCaseAsync(reporter: "owner");
        Assert.NotEqual(closed.Id, open.Id);

        time.Advance(TimeSpan.FromDays(89));
        await AssertSweptAsync(sweep, closedCases: 0, evidenceItems: 0);
        Assert.NotNull(await relay.Cases.GetCaseAsync(closed.Id));

        time.Advance(TimeSpan.FromDays(2));
        await AssertSweptAsync(sweep, closedCases: 1, evidenceItems: 0);
        Assert.Null(await relay.Cases.GetCaseAsync(closed.Id));
        Assert.Empty(await relay.Cases.GetReportsAsync(closed.Id));
        Assert.Empty(await relay.Cases.GetAuditAsync(closed.Id));
        Assert.Single(await evidence.GetAsync(closed.Id));
        Assert.NotNull(await relay.Cases.GetCaseAsync(open.Id));

        time.Advance(TimeSpan.FromDays(275));
        await AssertSweptAsync(sweep, closedCases: 0, evidenceItems: 1);
        Assert.Empty(await evidence.GetAsync(closed.Id));
        Assert.Equal(CaseState.Open, (await relay.Cases.GetCaseAsync(open.Id))!.State);
        Assert.Single(await relay.Cases.GetReportsAsync(open.Id));
    }

    [Fact]
    public async Task The_retention_is_configurable()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 5, 8, 0, 0, TimeSpan.Zero));
        await using var relay = await RelayHarness.StartAsync(new Dictionary<string, string?> { ["Relay:Retention:ClosedCaseDays"] = "7" },
            services => services.AddSingleton<TimeProvider>(time));
        var c = await CaseRoomWorld.Create(relay).OpenCaseAsync();
        await relay.App.Services.GetRequiredService<ICaseWriteStore>()
            .UpdateCaseAsync(c with { State = CaseState.Dismissed, UpdatedAt = time.GetUtcNow() }, [], []);

        time.Advance(TimeSpan.FromDays(8));
        await AssertSweptAsync(relay.App.Services.GetRequiredService<SweepRunner>(), closedCases: 1, evidenceItems: 0);

        Assert.Null(await relay.Cases.GetCaseAsync(c.Id));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3651)]
    public void A_retention_out_of_range_is_named_with_what_to_set(int days)
    {
        var result = new RetentionOptionsValidator().Validate(null, new RetentionOptions { ClosedCaseDays = days });

        Assert.StartsWith("Relay__Retention__ClosedCaseDays must be between 1 and 3650 (default 90)", Assert.Single(result.Failures!), StringComparison.Ordinal);
        Assert.True(new RetentionOptionsValidator().Validate(null, new RetentionOptions()).Succeeded);
    }

    [Fact]
    public async Task Relay_refuses_to_start_with_a_bad_retention()
    {
        var directory = Directory.CreateTempSubdirectory("relay-retention-").FullName;
        await using var app = RelayApp.Build(
        [
            "--urls", "http://127.0.0.1:0", "--Relay:Homeserver:Url=http://127.0.0.1:9", "--Relay:Homeserver:ServerName=example.org",
            "--Relay:Appservice:AsToken=as", "--Relay:Appservice:HsToken=hs", "--Relay:Data:Path=" + Path.Combine(directory, "relay.db"),
            "--Relay:Retention:ClosedCaseDays=0",
        ]);
        await app.InitializeRelayAsync();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains(error.Failures, f => f.StartsWith("Relay__Retention__ClosedCaseDays", StringComparison.Ordinal));
        Directory.Delete(directory, recursive: true);
    }

    private static async Task AssertSweptAsync(SweepRunner sweep, int closedCases, int evidenceItems)
    {
        var results = await sweep.RunAsync(CancellationToken.None);
        Assert.All(results, r => Assert.Null(r.Error));
        Assert.Equal(closedCases, Assert.Single(results, r => r.Part == "closed-case-retention").Handled);
        Assert.Equal(evidenceItems, Assert.Single(results, r => r.Part == "evidence-retention").Handled);
    }
}

/// <summary>The Azure runtime's <c>Sweep</c> timer runs the same retention parts.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureRetentionSweepTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task The_sweep_timer_runs_closed_case_and_evidence_retention()
    {
        await using var relay = await AzureRelayApp.StartAsync(azurite);

        var parts = relay.App.Services.GetServices<ISweepPart>().Select(p => p.Name).ToList();

        Assert.Contains("closed-case-retention", parts);
        Assert.Contains("evidence-retention", parts);
        Assert.All(await relay.App.Services.GetRequiredService<SweepRunner>().RunAsync(CancellationToken.None), r => Assert.Null(r.Error));
    }
}
