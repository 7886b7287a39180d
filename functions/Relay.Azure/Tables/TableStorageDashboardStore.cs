using Azure;
using Azure.Data.Tables;
using Relay.Core.Dashboard;
using Relay.Core.Identifiers;

namespace Relay.Azure.Tables;

/// <summary>
/// The dashboard's sign-in links and sessions on Table Storage, mirroring the SQLite store: one <c>DashboardAuth</c>
/// table, partition <c>signin</c> or <c>session</c>, row key the token's SHA-256 (hex, so always a valid key).
/// </summary>
public sealed class TableStorageDashboardStore(TableServiceClient service, string tablePrefix = "") : IDashboardAuthStore
{
    private const string SignIns = "signin";
    private const string Sessions = "session";

    private readonly TableClient _table = service.GetTableClient(tablePrefix + "DashboardAuth");

    public string TableName => _table.Name;

    public Task CreateTableAsync(CancellationToken cancellationToken = default) => _table.CreateIfNotExistsAsync(cancellationToken);

    public Task AddSignInAsync(SignInGrant grant, CancellationToken cancellationToken = default) =>
        _table.AddEntityAsync(new TableEntity(SignIns, grant.TokenHash)
        {
            ["UserId"] = grant.User.Value,
            ["ExpiresAt"] = grant.ExpiresAt.UtcTicks,
        }, cancellationToken);

    public async Task<UserId?> RedeemSignInAsync(string tokenHash, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var found = await _table.GetEntityIfExistsAsync<TableEntity>(SignIns, tokenHash, cancellationToken: cancellationToken);
        if (!found.HasValue)
        {
            return null;
        }
        var row = found.Value!;
        if (row.GetBoolean("Used") == true)
        {
            return null;
        }
        try
        {
            // Marking the version read as used: every write changes the ETag, so of concurrent redeemers exactly one
            // succeeds (the others get 412). The row goes when it expires (PurgeExpiredAsync).
            await _table.UpdateEntityAsync(new TableEntity(SignIns, tokenHash) { ["Used"] = true }, row.ETag,
                TableUpdateMode.Merge, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            return null;
        }
        return row.GetInt64("ExpiresAt") is { } expires && expires > now.UtcTicks
            && UserId.TryParse(row.GetString("UserId"), out var user)
                ? user
                : null;
    }

    public Task AddSessionAsync(DashboardSession session, CancellationToken cancellationToken = default) =>
        _table.AddEntityAsync(new TableEntity(Sessions, session.SessionHash)
        {
            ["UserId"] = session.User.Value,
            ["Rooms"] = DashboardRooms.Join(session.Rooms),
            ["CreatedAt"] = session.CreatedAt.UtcTicks,
            ["ExpiresAt"] = session.ExpiresAt.UtcTicks,
        }, cancellationToken);

    public async Task<DashboardSession?> GetSessionAsync(string sessionHash, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var found = await _table.GetEntityIfExistsAsync<TableEntity>(Sessions, sessionHash, cancellationToken: cancellationToken);
        if (!found.HasValue)
        {
            return null;
        }
        var row = found.Value!;
        if (row.GetInt64("ExpiresAt") is not { } expires || expires <= now.UtcTicks || !UserId.TryParse(row.GetString("UserId"), out var user))
        {
            return null;
        }
        return new DashboardSession(sessionHash, user, DashboardRooms.Split(row.GetString("Rooms")),
            new DateTimeOffset(row.GetInt64("CreatedAt") ?? 0, TimeSpan.Zero), new DateTimeOffset(expires, TimeSpan.Zero));
    }

    public async Task DeleteSessionAsync(string sessionHash, CancellationToken cancellationToken = default)
    {
        try
        {
            await _table.DeleteEntityAsync(Sessions, sessionHash, ETag.All, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // Already signed out.
        }
    }

    public async Task<int> PurgeExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var filter = TableClient.CreateQueryFilter($"ExpiresAt le {now.UtcTicks}");
        var purged = 0;
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, 100, ["PartitionKey", "RowKey"], cancellationToken))
        {
            try
            {
                await _table.DeleteEntityAsync(row.PartitionKey, row.RowKey, ETag.All, cancellationToken);
                purged++;
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                // Another instance purged it first.
            }
        }
        return purged;
    }
}
