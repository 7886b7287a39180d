using Relay.Core.Dashboard;
using Relay.Core.Identifiers;

namespace Relay.Sqlite;

/// <summary>The dashboard's sign-in links and sessions in the embedded store, by token hash.</summary>
public sealed class SqliteDashboardStore(SqliteDatabase database) : IDashboardAuthStore
{
    public async Task AddSignInAsync(SignInGrant grant, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await connection.Command(null, "INSERT INTO DashboardSignIns (TokenHash, UserId, ExpiresAt) VALUES (@Hash, @User, @Expires)")
            .With("@Hash", grant.TokenHash).With("@User", grant.User.Value).With("@Expires", UtcTicks.From(grant.ExpiresAt))
            .ExecuteAndDisposeAsync(cancellationToken);
    }

    public async Task<UserId?> RedeemSignInAsync(string tokenHash, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        // One statement deletes and reads, so of two concurrent redeemers only one gets the row back.
        await using var command = connection.Command(null,
                "DELETE FROM DashboardSignIns WHERE TokenHash = @Hash RETURNING UserId, ExpiresAt")
            .With("@Hash", tokenHash);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken) || UtcTicks.ToTime(reader.GetInt64(1)) <= now)
        {
            return null;
        }
        return UserId.TryParse(reader.GetString(0), out var user) ? user : null;
    }

    public async Task AddSessionAsync(DashboardSession session, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await connection.Command(null, """
                INSERT INTO DashboardSessions (SessionHash, UserId, Rooms, CreatedAt, ExpiresAt)
                VALUES (@Hash, @User, @Rooms, @Created, @Expires)
                """)
            .With("@Hash", session.SessionHash).With("@User", session.User.Value)
            .With("@Rooms", DashboardRooms.Join(session.Rooms))
            .With("@Created", UtcTicks.From(session.CreatedAt)).With("@Expires", UtcTicks.From(session.ExpiresAt))
            .ExecuteAndDisposeAsync(cancellationToken);
    }

    public async Task<DashboardSession?> GetSessionAsync(string sessionHash, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command(null, """
                SELECT UserId, Rooms, CreatedAt, ExpiresAt FROM DashboardSessions
                 WHERE SessionHash = @Hash AND ExpiresAt > @Now
                """)
            .With("@Hash", sessionHash).With("@Now", UtcTicks.From(now));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken) || !UserId.TryParse(reader.GetString(0), out var user))
        {
            return null;
        }
        return new DashboardSession(sessionHash, user, DashboardRooms.Split(reader.GetString(1)),
            UtcTicks.ToTime(reader.GetInt64(2)), UtcTicks.ToTime(reader.GetInt64(3)));
    }

    public async Task DeleteSessionAsync(string sessionHash, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await connection.Command(null, "DELETE FROM DashboardSessions WHERE SessionHash = @Hash")
            .With("@Hash", sessionHash).ExecuteAndDisposeAsync(cancellationToken);
    }

    public async Task<int> PurgeExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var ticks = UtcTicks.From(now);
        var links = await connection.Command(null, "DELETE FROM DashboardSignIns WHERE ExpiresAt <= @Now")
            .With("@Now", ticks).ExecuteAndDisposeAsync(cancellationToken);
        var sessions = await connection.Command(null, "DELETE FROM DashboardSessions WHERE ExpiresAt <= @Now")
            .With("@Now", ticks).ExecuteAndDisposeAsync(cancellationToken);
        return links + sessions;
    }
}
