using Microsoft.Extensions.Time.Testing;
using Relay.Channels.CyberTipline;
using Relay.Channels.Smtp;
using Relay.Channels.Support;
using Relay.Channels.Webhooks;
using Relay.Core.Escalation;
using Relay.Tests.Escalation.Fakes;

namespace Relay.Tests.Escalation;

public sealed class ChannelAdapterTests
{
    private readonly FakeTimeProvider _time = new(EscalationWorld.Start);

    private WellKnownSupportClient Support() =>
        Support(OutboundAddressPolicy.AllowingLoopback);

    private WellKnownSupportClient Support(OutboundAddressPolicy policy, TimeSpan? timeout = null) =>
        new(new HttpClient(policy.Handler(TimeSpan.FromSeconds(5))) { Timeout = TimeSpan.FromSeconds(10) },
            new SupportLookupSettings("http", TimeSpan.FromMinutes(60), Timeout: timeout), _time);

    [Fact]
    public async Task Support_contacts_are_read_with_their_roles_and_cached()
    {
        await using var server = await SupportServer.StartAsync();
        server.Answer = SupportServer.Good(SupportServer.Contacts(("m.role.security", "@sec:example.org", "sec@example.org"),
            ("m.role.admin", "not a user id", "admin@example.org"), ("m.role.admin", null, "not an address")));
        var client = Support();

        var found = Assert.IsType<SupportLookup.Found>(await client.LookupAsync(server.ServerName));
        await client.LookupAsync(server.ServerName);

        Assert.Equal([new SupportContact("m.role.security", "@sec:example.org", "sec@example.org"), new SupportContact("m.role.admin", null, "admin@example.org")],
            found.Contacts);
        Assert.Equal(1, server.Requests);
        _time.Advance(TimeSpan.FromMinutes(61));
        await client.LookupAsync(server.ServerName);
        Assert.Equal(2, server.Requests);
    }

    public static TheoryData<string, string> Unusable => new()
    {
        { "missing", "answered 404" },
        { "malformed", "malformed: not JSON" },
        { "oversized", "larger than 64 KiB" },
        { "elsewhere", "redirected to another host" },
    };

    [Theory]
    [MemberData(nameof(Unusable))]
    public async Task Missing_malformed_oversized_and_cross_host_answers_are_unusable(string answer, string why)
    {
        await using var server = await SupportServer.StartAsync();
        server.Answer = answer switch
        {
            "missing" => SupportServer.Missing,
            "malformed" => SupportServer.Malformed,
            "oversized" => SupportServer.Oversized,
            _ => SupportServer.RedirectTo("http://127.0.0.2:9/.well-known/matrix/support"),
        };

        var unusable = Assert.IsType<SupportLookup.Unusable>(await Support().LookupAsync(server.ServerName));

        Assert.Contains(why, unusable.Why);
    }

    [Fact]
    public async Task A_redirect_on_the_same_host_is_followed()
    {
        await using var server = await SupportServer.StartAsync();
        server.Answer = SupportServer.RedirectTo("/moved/support");

        var found = Assert.IsType<SupportLookup.Found>(await Support().LookupAsync(server.ServerName));

        Assert.Equal("@moved:example.org", Assert.Single(found.Contacts).MatrixId);
    }

    [Fact]
    public async Task An_unreachable_support_server_is_a_retryable_failure_not_an_answer()
    {
        await using var server = await SupportServer.StartAsync();
        var name = server.ServerName;
        await server.DisposeAsync();

        await Assert.ThrowsAsync<EscalationChannelException>(() => Support().LookupAsync(name));
    }

    [Fact]
    public async Task Webhooks_are_signed_so_the_receiver_can_verify_them_and_a_500_is_a_failure()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var sender = new WebhookSender(new HttpClient(), _time);
        var target = new WebhookTarget(receiver.Url, WebhookReceiver.Secret);

        await sender.PostAsync(target, "case:4:hosting_webhook", """{"type":"relay.escalation"}"""u8.ToArray());
        receiver.FailNext(1);
        var failure = await Assert.ThrowsAsync<EscalationChannelException>(() => sender.PostAsync(target, "d", "{}"u8.ToArray()));
        var forged = await Assert.ThrowsAsync<EscalationChannelException>(() =>
            sender.PostAsync(target with { Secret = "another-secret-entirely" }, "d", "{}"u8.ToArray()));

        Assert.Equal("case:4:hosting_webhook", Assert.Single(receiver.Received).DeliveryId);
        Assert.Contains("500", failure.Message);
        Assert.Contains("401", forged.Message);
        Assert.Equal(1, receiver.Refused);
    }

    private static CyberTiplineReport Report() => new("Child Pornography (possession, manufacture, and distribution)", EscalationWorld.Start,
        "!room:hs.test", "Event $e in room !room:hs.test.", "@spammer:remote.test", "remote.test");

    private static CyberTiplineClient Tipline(CyberTiplineStandIn standIn, string password = CyberTiplineStandIn.Password, string? email = "safety@community.test") =>
        new(new HttpClient(), new CyberTiplineSettings(standIn.Url, CyberTiplineStandIn.Username, password, "Trust", "Safety", email));

    [Fact]
    public async Task The_cybertipline_report_follows_the_schema_and_is_submitted_and_finished()
    {
        await using var standIn = await CyberTiplineStandIn.StartAsync();
        var client = Tipline(standIn);

        Assert.Empty(CyberTiplineClient.Validate(client.Build(Report())));
        var id = await client.SubmitAsync(Report());
        await client.FinishAsync(id);
        var again = await Assert.ThrowsAsync<CyberTiplineException>(() => client.FinishAsync(id));
        var unknown = await Assert.ThrowsAsync<CyberTiplineException>(() => client.FinishAsync("1"));

        Assert.True(standIn.Reports[id]);
        Assert.Equal((5102, 5001), (again.ResponseCode, unknown.ResponseCode));
        var sent = Assert.Single(standIn.Submitted).Root!;
        Assert.Equal("2026-03-01T12:00:00Z", sent.Element("incidentSummary")!.Element("incidentDateTime")!.Value);
        Assert.Equal("@spammer:remote.test", sent.Element("personOrUserReported")!.Element("espIdentifier")!.Value);
    }

    [Fact]
    public async Task Wrong_credentials_are_a_failure_with_the_documented_code()
    {
        await using var standIn = await CyberTiplineStandIn.StartAsync();

        var refused = await Assert.ThrowsAsync<CyberTiplineException>(() => Tipline(standIn, password: "wrong").SubmitAsync(Report()));

        Assert.Equal(3000, refused.ResponseCode);
        Assert.Empty(standIn.Submitted);
    }

    [Fact]
    public async Task A_report_that_fails_the_schema_is_never_sent()
    {
        await using var standIn = await CyberTiplineStandIn.StartAsync();

        var invalid = await Assert.ThrowsAsync<CyberTiplineException>(() => Tipline(standIn, email: null).SubmitAsync(Report() with { IncidentType = "Spam" }));

        Assert.Contains("schema", invalid.Message);
        Assert.Empty(standIn.Answered);
    }

    [Fact]
    public async Task Mail_goes_through_smtp_with_a_deterministic_message_id_and_a_refusal_names_the_smtp_status()
    {
        await using var smtp = new FakeSmtpServer();
        var sender = new SmtpMailSender(new SmtpSettings("127.0.0.1", smtp.Port, MailKit.Security.SecureSocketOptions.None, null, null,
            "Relay <relay@community.test>", TimeSpan.FromSeconds(10)), _time);
        var mail = new OutgoingMail("abuse@hosting.test", "[Relay] Abuse report", "Case: X", "case:4:hosting_email");

        await sender.SendAsync(mail);
        smtp.RejectRecipients(1);
        var refused = await Assert.ThrowsAsync<EscalationChannelException>(() => sender.SendAsync(mail));

        var received = Assert.Single(smtp.Mails);
        Assert.Equal(("relay@community.test", "abuse@hosting.test"), (received.From, Assert.Single(received.To)));
        Assert.Contains($"Message-Id: <{sender.Build(mail).MessageId}>", received.Data, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("451", refused.Message);
        Assert.DoesNotContain("password", refused.Message, StringComparison.OrdinalIgnoreCase);
    }
    [Fact]
    public async Task Mail_logs_in_with_the_configured_credentials_and_wrong_ones_fail_without_naming_the_password()
    {
        await using var smtp = new FakeSmtpServer(new SmtpBehaviour("relay", "right-password"));
        var mail = new OutgoingMail("abuse@hosting.test", "[Relay] Abuse report", "Case: X", "case:4:hosting_email");

        await Mail(smtp, MailKit.Security.SecureSocketOptions.None, "relay", "right-password").SendAsync(mail);
        var refused = await Assert.ThrowsAsync<EscalationChannelException>(
            () => Mail(smtp, MailKit.Security.SecureSocketOptions.None, "relay", "wrong-password").SendAsync(mail));

        Assert.Single(smtp.Mails);
        Assert.Equal([true, false], smtp.Logins);
        Assert.Contains("Relay__Smtp__Username", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-password", refused.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mail_that_requires_tls_is_never_sent_to_a_server_with_an_untrusted_certificate()
    {
        await using var smtp = new FakeSmtpServer(new SmtpBehaviour(OfferStartTls: true));

        var refused = await Assert.ThrowsAsync<EscalationChannelException>(
            () => Mail(smtp, MailKit.Security.SecureSocketOptions.StartTls).SendAsync(Hosting()));

        Assert.Empty(smtp.Mails);
        Assert.Contains("could not be reached or broke off", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mail_that_requires_tls_is_never_sent_in_clear_to_a_server_without_starttls()
    {
        await using var smtp = new FakeSmtpServer();

        var refused = await Assert.ThrowsAsync<EscalationChannelException>(
            () => Mail(smtp, MailKit.Security.SecureSocketOptions.StartTls).SendAsync(Hosting()));

        Assert.Empty(smtp.Mails);
        Assert.Contains("does not offer STARTTLS", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_silent_smtp_server_is_a_retryable_failure_after_the_timeout()
    {
        await using var smtp = new FakeSmtpServer(new SmtpBehaviour(Silent: true));
        var sender = new SmtpMailSender(new SmtpSettings("127.0.0.1", smtp.Port, MailKit.Security.SecureSocketOptions.None, null, null,
            "Relay <relay@community.test>", TimeSpan.FromMilliseconds(500)), _time);

        var refused = await Assert.ThrowsAsync<EscalationChannelException>(() => sender.SendAsync(Hosting()));

        Assert.Contains("could not be reached or broke off", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_support_server_that_never_answers_is_a_retryable_failure_after_the_timeout()
    {
        using var silent = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        silent.Start();
        var name = $"localhost:{((System.Net.IPEndPoint)silent.LocalEndpoint).Port}";
        var support = Support(OutboundAddressPolicy.AllowingLoopback, TimeSpan.FromMilliseconds(500));

        await Assert.ThrowsAsync<EscalationChannelException>(() => support.LookupAsync(name));
    }

    private SmtpMailSender Mail(FakeSmtpServer smtp, MailKit.Security.SecureSocketOptions tls, string? username = null, string? password = null) =>
        new(new SmtpSettings("127.0.0.1", smtp.Port, tls, username, password, "Relay <relay@community.test>", TimeSpan.FromSeconds(10)), _time);

    private static OutgoingMail Hosting() => new("abuse@hosting.test", "[Relay] Abuse report", "Case: X", "case:4:hosting_email");
}
