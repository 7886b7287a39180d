using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;
using Relay.Channels.Support;
using Relay.Core.Escalation;
using Relay.Tests.Escalation.Fakes;

namespace Relay.Tests.Escalation;

/// <summary>
/// The support lookup fetches from a server a reporter names (any user ID can be reported): it must not become a way
/// to reach Relay's own network. Real HTTP on loopback, with the production policy unless a test says otherwise.
/// </summary>
public sealed class SupportAddressTests
{
    private readonly FakeTimeProvider _time = new(EscalationWorld.Start);

    private WellKnownSupportClient Client(OutboundAddressPolicy policy, TimeSpan? deadline = null) =>
        new(new HttpClient(policy.Handler(TimeSpan.FromSeconds(5))) { Timeout = TimeSpan.FromSeconds(30) },
            new SupportLookupSettings("http", TimeSpan.FromMinutes(60), Timeout: deadline), _time);

    [Theory]
    [InlineData("127.0.0.1:{port}")]
    [InlineData("[::1]:{port}")]
    [InlineData("10.0.0.1")]
    [InlineData("[fe80::1]")]
    public async Task Ip_literal_server_names_are_refused_without_a_request(string name)
    {
        await using var server = await SupportServer.StartAsync();
        server.Answer = SupportServer.Good(SupportServer.Contacts(("m.role.admin", "@admin:example.org", null)));
        var port = server.ServerName[(server.ServerName.LastIndexOf(':') + 1)..];

        // Even a policy that allows loopback: an IP literal is never looked up.
        var answer = await Client(OutboundAddressPolicy.AllowingLoopback).LookupAsync(name.Replace("{port}", port, StringComparison.Ordinal));

        Assert.Contains("is an IP address", Assert.IsType<SupportLookup.Unusable>(answer).Why, StringComparison.Ordinal);
        Assert.Equal(0, server.Requests);
    }

    [Fact]
    public async Task A_name_that_resolves_to_loopback_is_refused_by_the_production_policy_without_connecting()
    {
        await using var server = await SupportServer.StartAsync();
        server.Answer = SupportServer.Good(SupportServer.Contacts(("m.role.admin", "@admin:example.org", null)));

        var answer = await Client(OutboundAddressPolicy.PublicOnly).LookupAsync(server.ServerName);

        Assert.Contains("non-public addresses", Assert.IsType<SupportLookup.Unusable>(answer).Why, StringComparison.Ordinal);
        Assert.Equal(0, server.Requests);
        // The same server is reachable when loopback is allowed: the refusal above was the policy, not the server.
        Assert.IsType<SupportLookup.Found>(await Client(OutboundAddressPolicy.AllowingLoopback).LookupAsync(server.ServerName));
    }

    [Theory]
    [InlineData("127.0.0.1", false)]
    [InlineData("10.1.2.3", false)]
    [InlineData("172.16.0.1", false)]
    [InlineData("192.168.1.1", false)]
    [InlineData("169.254.169.254", false)]
    [InlineData("100.64.0.1", false)]
    [InlineData("0.0.0.0", false)]
    [InlineData("224.0.0.1", false)]
    [InlineData("::1", false)]
    [InlineData("fd00::1", false)]
    [InlineData("fe80::1", false)]
    [InlineData("::ffff:10.0.0.1", false)]
    [InlineData("64:ff9b::a00:1", false)]
    [InlineData("2002:a00:1::", false)]
    [InlineData("93.184.215.14", true)]
    [InlineData("2606:4700::1111", true)]
    [InlineData("::ffff:93.184.215.14", true)]
    public void Only_public_unicast_addresses_are_allowed(string address, bool allowed) =>
        Assert.Equal(allowed, OutboundAddressPolicy.PublicOnly.IsAllowed(IPAddress.Parse(address)));

    [Fact]
    public void The_test_policy_allows_loopback_and_nothing_else_private()
    {
        Assert.True(OutboundAddressPolicy.AllowingLoopback.IsAllowed(IPAddress.Loopback));
        Assert.False(OutboundAddressPolicy.AllowingLoopback.IsAllowed(IPAddress.Parse("10.0.0.1")));
        Assert.False(OutboundAddressPolicy.AllowingLoopback.IsAllowed(IPAddress.Parse("169.254.169.254")));
    }

    [Fact]
    public async Task A_server_that_trickles_its_answer_is_cut_off_at_the_deadline()
    {
        await using var server = await SupportServer.StartAsync();
        server.Answer = async context =>
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("{\"contacts\":[");
            await context.Response.Body.FlushAsync();
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        };

        var failed = await Assert.ThrowsAsync<EscalationChannelException>(() =>
            Client(OutboundAddressPolicy.AllowingLoopback, TimeSpan.FromMilliseconds(500)).LookupAsync(server.ServerName)
                .WaitAsync(TimeSpan.FromSeconds(20)));

        Assert.Contains("did not answer within", failed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_cache_holds_at_most_its_bound_of_servers()
    {
        var client = Client(OutboundAddressPolicy.PublicOnly);

        for (var i = 0; i < WellKnownSupportClient.MaxCached + 50; i++)
        {
            await client.LookupAsync($"10.0.{i / 256}.{i % 256}");
        }

        Assert.Equal(WellKnownSupportClient.MaxCached, client.CachedCount);
    }
}
