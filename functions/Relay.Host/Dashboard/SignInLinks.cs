using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Relay.Core;
using Relay.Core.Appservice;
using Relay.Core.Dashboard;
using Relay.Core.Homeserver;
using Relay.Core.Identifiers;
using Relay.Host.Configuration;

namespace Relay.Host.Dashboard;

/// <summary>
/// Sends sign-in links by DM, off the request path: the sign-in form answers the same, equally fast, whether or not the
/// Matrix ID moderates anything, and only here is that decided. A link is 32 random bytes; only its hash is stored.
/// In memory: a restart loses asks not yet handled, and the moderator asks again.
/// </summary>
public sealed class SignInLinks(
    DashboardAccess access,
    IDashboardAuthStore store,
    DirectMessages directMessages,
    UlidGenerator ids,
    IOptions<RelayOptions> options,
    TimeProvider time,
    ILogger<SignInLinks> logger) : BackgroundService
{
    private readonly Channel<UserId> _asked = Channel.CreateBounded<UserId>(
        new BoundedChannelOptions(256) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    /// <summary>Queues an ask; false when too many are waiting (the caller answers the same anyway).</summary>
    public bool Ask(UserId user) => _asked.Writer.TryWrite(user);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var user in _asked.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await SendIfEligibleAsync(user, stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // Neither the user nor the message: the DM's body holds the link.
                    logger.LogWarning("Could not send a dashboard sign-in link ({Error})", e.GetType().Name);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private async Task SendIfEligibleAsync(UserId user, CancellationToken cancellationToken)
    {
        var dashboard = options.Value.Dashboard;
        var now = time.GetUtcNow();
        await store.PurgeExpiredAsync(now, cancellationToken);
        var rooms = await access.RoomsOfAsync(user, ConfiguredRooms(options.Value), cancellationToken);
        if (!access.MaySignIn(user, rooms))
        {
            return;
        }
        var token = DashboardTokens.New();
        var minutes = dashboard.SignInLinkMinutes;
        await store.AddSignInAsync(new SignInGrant(DashboardTokens.Hash(token), user, now.AddMinutes(minutes)), cancellationToken);
        var link = dashboard.PublicBaseUrl!.TrimEnd('/') + DashboardPaths.Link + token;
        var text = $"Your sign-in link for the Relay moderator dashboard: {link}\n"
            + $"It works once, for {minutes} minutes. If you did not ask for it, ignore this message; nobody can use it without your DMs.";
        await directMessages.SendAsync(user, "relay-dashboard-signin-" + ids.Next(), new MatrixMessage(text), cancellationToken);
        logger.LogInformation("Sent a dashboard sign-in link");
    }

    public static IEnumerable<RoomId> ConfiguredRooms(RelayOptions options) =>
        options.Reports.ProtectedRooms.Select(r => RoomId.TryParse(r, out var room) ? room : (RoomId?)null).OfType<RoomId>();
}
