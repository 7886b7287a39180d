using System.Security.Cryptography;
using System.Text;
using Relay.Core.Appservice;
using Relay.Core.Cases.Rooms;
using Relay.Core.Homeserver;
using Relay.Core.Identifiers;
using Relay.Core.Reports;

namespace Relay.Core.Escalation.Channels;

/// <summary>
/// The reported user's homeserver admins, from <c>https://{server}/.well-known/matrix/support</c>: the
/// <c>m.role.security</c> contacts if there are any, else the <c>m.role.admin</c> ones. Matrix IDs get a DM from the bot,
/// e-mail addresses a mail. Each contact is recorded once reached, so a retry only reaches the rest. Reporters are never named.
/// </summary>
public sealed class HomeserverAdminsChannel(ISupportContacts support, IMailSender mail, DirectMessages direct, EscalationSettings settings,
    TimeProvider time) : IEscalationChannel
{
    public string Kind => ChannelKinds.HomeserverAdmins;

    public async Task<ChannelOutcome> DeliverAsync(EscalationDelivery delivery, CancellationToken cancellationToken)
    {
        if (delivery.Case.Target.ReportedUser is not { } user)
        {
            return new ChannelOutcome.Skipped("the case names no user, so there is no homeserver to contact");
        }
        var lookup = await support.LookupAsync(user.Server, cancellationToken);
        if (lookup is SupportLookup.Unusable unusable)
        {
            return new ChannelOutcome.Skipped($"{user.Server} publishes no usable support contacts: {unusable.Why}");
        }
        var contacts = ((SupportLookup.Found)lookup).Contacts;
        var chosen = contacts.Where(c => c.Role == "m.role.security").ToList();
        var role = "m.role.security";
        if (chosen.Count == 0)
        {
            chosen = [.. contacts.Where(c => c.Role == "m.role.admin")];
            role = "m.role.admin";
        }
        if (chosen.Count == 0)
        {
            return new ChannelOutcome.Skipped($"{user.Server} lists no m.role.security or m.role.admin contact");
        }
        var notice = EscalationNotice.For(delivery, settings.Community, time.GetUtcNow());
        var what = delivery.Case.Target is ReportTarget.RoomTarget { IsInvite: true }
            ? "sent unwanted room invites (invite spam) to members of"
            : "was reported in";
        var intro = $"A user of your homeserver {user.Server} {what} the Matrix community {settings.Community}, "
            + "and its moderators escalated the report to you through Relay. You are listed as a contact in "
            + $"https://{user.Server}/.well-known/matrix/support ({role}).";
        var reached = new List<string>();
        var unreachable = new List<string>();
        foreach (var contact in chosen)
        {
            if (UserId.TryParse(contact.MatrixId, out var admin))
            {
                var step = "dm:" + admin.Value;
                if (!delivery.IsDone(step))
                {
                    await direct.SendAsync(admin, CaseTxn.For(delivery.Case.Id, "hs-admin", Key(admin.Value)),
                        new MatrixMessage(notice.Text(intro), Notice: false), cancellationToken);
                    await delivery.RecordStepAsync(step, cancellationToken);
                }
                reached.Add(admin.Value);
            }
            if (contact.EmailAddress is { } address)
            {
                if (!mail.IsConfigured)
                {
                    unreachable.Add(address + " (no SMTP server configured)");
                    continue;
                }
                var step = "mail:" + address;
                if (!delivery.IsDone(step))
                {
                    await mail.SendAsync(new OutgoingMail(address, notice.Subject, notice.Text(intro), $"{delivery.Id}:{Key(address)}"), cancellationToken);
                    await delivery.RecordStepAsync(step, cancellationToken);
                }
                reached.Add(address);
            }
        }
        var skipped = unreachable.Count > 0 ? $"; not reached: {string.Join(", ", unreachable)}" : "";
        return reached.Count > 0
            ? new ChannelOutcome.Delivered($"{role} contacts of {user.Server}: {string.Join(", ", reached)}{skipped}")
            : new ChannelOutcome.Skipped($"no {role} contact of {user.Server} could be reached{skipped}");
    }

    private static string Key(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)))[..16];
}
