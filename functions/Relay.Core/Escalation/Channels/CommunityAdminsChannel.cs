using System.Text.Json.Nodes;
using Relay.Core.Homeserver;
using Relay.Core.Identifiers;

namespace Relay.Core.Escalation.Channels;

/// <summary>
/// Invites the community admins into the case room: members at power level 100 in the reported room, and the configured
/// <c>Relay__Community__Admins</c>. Never the reported user; nobody already joined or invited is invited again.
/// </summary>
public sealed class CommunityAdminsChannel(IMatrixBot bot, EscalationSettings settings) : IEscalationChannel
{
    public const int AdminLevel = 100;

    public string Kind => ChannelKinds.CommunityAdmins;

    public async Task<ChannelOutcome> DeliverAsync(EscalationDelivery delivery, CancellationToken cancellationToken)
    {
        var c = delivery.Case;
        if (c.CaseRoom is not { } room)
        {
            throw new EscalationChannelException("the case room is not open yet");
        }
        var admins = new List<UserId>();
        if (c.Target.Room is { } reported && await bot.GetStateAsync(reported, "m.room.power_levels", "", cancellationToken) is { } levels
            && levels["users"] is JsonObject users)
        {
            foreach (var (raw, level) in users)
            {
                if (level is JsonValue value && value.TryGetValue<long>(out var n) && n >= AdminLevel && UserId.TryParse(raw, out var user))
                {
                    admins.Add(user);
                }
            }
        }
        admins.AddRange(settings.CommunityAdmins);
        var invited = new List<string>();
        foreach (var admin in admins.Distinct().Where(u => u != bot.UserId && u != c.Target.ReportedUser).OrderBy(u => u.Value, StringComparer.Ordinal))
        {
            var membership = await bot.GetStateAsync(room, "m.room.member", admin.Value, cancellationToken);
            if ((string?)membership?["membership"] is "join" or "invite")
            {
                continue;
            }
            await bot.InviteAsync(room, admin, $"Relay case {c.Id.Short} escalated to the community admins", cancellationToken);
            invited.Add(admin.Value);
        }
        return invited.Count > 0
            ? new ChannelOutcome.Delivered("invited " + string.Join(", ", invited))
            : admins.Count > 0
                ? new ChannelOutcome.Delivered("every community admin was already in the case room")
                : new ChannelOutcome.Skipped($"no community admins: nobody at power level {AdminLevel} in the reported room and Relay__Community__Admins is empty");
    }
}
