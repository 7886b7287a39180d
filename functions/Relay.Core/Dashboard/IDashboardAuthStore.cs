using Relay.Core.Identifiers;

namespace Relay.Core.Dashboard;

/// <summary>
/// The moderator dashboard's sign-in links and sessions. Only <see cref="DashboardTokens.Hash"/> of a token is ever
/// stored, so a copy of the store signs no one in. Adapters: SQLite (embedded), Table Storage (Azure); both pinned by
/// one contract suite (DashboardAuthStoreContract).
/// </summary>
public interface IDashboardAuthStore
{
    Task AddSignInAsync(SignInGrant grant, CancellationToken cancellationToken = default);

    /// <summary>
    /// Consumes the sign-in link with this hash: its user if it existed and had not expired at <paramref name="now"/>,
    /// else null. A link is consumed at most once, even by concurrent callers; an expired one is consumed too.
    /// </summary>
    Task<UserId?> RedeemSignInAsync(string tokenHash, DateTimeOffset now, CancellationToken cancellationToken = default);

    Task AddSessionAsync(DashboardSession session, CancellationToken cancellationToken = default);

    /// <summary>The session with this hash if it has not expired at <paramref name="now"/>.</summary>
    Task<DashboardSession?> GetSessionAsync(string sessionHash, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Ends a session (sign-out); idempotent.</summary>
    Task DeleteSessionAsync(string sessionHash, CancellationToken cancellationToken = default);

    /// <summary>Forgets links and sessions expired before <paramref name="now"/>; returns how many rows went.</summary>
    Task<int> PurgeExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken = default);
}

/// <summary>A sign-in link sent to <see cref="User"/>, by the hash of its token.</summary>
public sealed record SignInGrant(string TokenHash, UserId User, DateTimeOffset ExpiresAt);

/// <summary>
/// A signed-in moderator, by the hash of the cookie's token. <see cref="Rooms"/> are the rooms they moderated when they
/// signed in, kept for the record only: what they may read is decided again on every page, and every action checks the
/// room's power levels fresh (<see cref="DashboardAccess"/>).
/// </summary>
public sealed record DashboardSession(
    string SessionHash,
    UserId User,
    IReadOnlyList<RoomId> Rooms,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt);
