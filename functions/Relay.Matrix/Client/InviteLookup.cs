using Relay.Core.Identifiers;
using Relay.Matrix.Wire;

namespace Relay.Matrix.Client;

/// <summary>Reads who invited a user to a room from a <c>/sync</c> response (see <see cref="MatrixPaths.InviteSync"/>).</summary>
internal static class InviteLookup
{
    public static UserId? Inviter(InviteSyncResponse body, UserId invitee, RoomId room)
    {
        // A pending invite: the invitee's own m.room.member in the stripped state is the invite, sent by the inviter.
        if (body.Rooms?.Invite?.GetValueOrDefault(room.Value)?.InviteState?.Events is { } stripped)
        {
            var invite = stripped.LastOrDefault(e => IsMembershipOf(e, invitee) && e.Content?.Membership == "invite");
            return Parse(invite?.Sender);
        }
        // A rejected invite: the invitee's leave replaced the invite, whose sender Synapse gives as unsigned.prev_sender.
        var left = body.Rooms?.Leave?.GetValueOrDefault(room.Value)?.Timeline?.Events?
            .LastOrDefault(e => IsMembershipOf(e, invitee));
        return left is { Content.Membership: "leave", Unsigned.PrevContent.Membership: "invite" } && left.Sender == invitee.Value
            ? Parse(left.Unsigned.PrevSender)
            : null;
    }

    private static bool IsMembershipOf(MembershipHeader e, UserId user) => e.Type == "m.room.member" && e.StateKey == user.Value;

    private static UserId? Parse(string? value) => UserId.TryParse(value, out var user) ? user : null;
}
