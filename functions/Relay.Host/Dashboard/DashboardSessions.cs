using Microsoft.Extensions.Options;
using Relay.Core.Dashboard;
using Relay.Host.Configuration;

namespace Relay.Host.Dashboard;

/// <summary>
/// A request's session: who, the rooms whose cases they may read now (<see cref="DashboardAccess.RoomsOfAsync"/>), and the
/// CSRF token its forms carry (derived from the cookie's token).
/// </summary>
public sealed record CurrentSession(DashboardSession Session, DashboardReader Reader, string Csrf)
{
    public (string User, string Csrf) Who => (Session.User.Value, Csrf);

    public bool CsrfMatches(string? posted) => DashboardTokens.AreEqual(Csrf, posted);
}

/// <summary>Signing in with a link, finding the session of a request, and signing out. Tokens are looked up by hash only.</summary>
public sealed class DashboardSessions(
    IDashboardAuthStore store,
    DashboardAccess access,
    DashboardCookies cookies,
    IOptions<RelayOptions> options,
    TimeProvider time)
{
    /// <summary>
    /// The request's session with the rooms its user may read now, by current power levels (read at most 30 s ago), not
    /// by the rooms fixed at sign-in; null without a session, and the session ended once its user moderates nothing any more.
    /// </summary>
    public async Task<CurrentSession?> CurrentAsync(HttpContext context)
    {
        if (DashboardCookies.SessionToken(context) is not { } token
            || await store.GetSessionAsync(DashboardTokens.Hash(token), time.GetUtcNow(), context.RequestAborted) is not { } session)
        {
            return null;
        }
        var rooms = await access.RoomsOfAsync(session.User, SignInLinks.ConfiguredRooms(options.Value), context.RequestAborted);
        if (!access.MaySignIn(session.User, rooms))
        {
            // Ended, not merely refused: a later promotion does not bring back a session started before the demotion.
            await store.DeleteSessionAsync(session.SessionHash, context.RequestAborted);
            return null;
        }
        return new CurrentSession(session, new DashboardReader(session.User, rooms), DashboardTokens.CsrfFor(token));
    }

    /// <summary>
    /// Consumes the link and, if it was good and its user still moderates something (power levels read again now),
    /// starts a session with the rooms they moderate. False for any other link, with nothing said about why.
    /// </summary>
    public async Task<bool> SignInAsync(HttpContext context, string? linkToken)
    {
        var now = time.GetUtcNow();
        if (!DashboardTokens.LooksValid(linkToken)
            || await store.RedeemSignInAsync(DashboardTokens.Hash(linkToken), now, context.RequestAborted) is not { } user)
        {
            return false;
        }
        var rooms = await access.RoomsOfAsync(user, SignInLinks.ConfiguredRooms(options.Value), context.RequestAborted);
        if (!access.MaySignIn(user, rooms))
        {
            return false;
        }
        var token = DashboardTokens.New();
        await store.AddSessionAsync(new DashboardSession(DashboardTokens.Hash(token), user, rooms, now,
            now.AddHours(options.Value.Dashboard.SessionHours)), context.RequestAborted);
        cookies.SetSession(context, token);
        return true;
    }

    public async Task SignOutAsync(HttpContext context, CurrentSession current)
    {
        await store.DeleteSessionAsync(current.Session.SessionHash, context.RequestAborted);
        cookies.ClearSession(context);
    }
}
