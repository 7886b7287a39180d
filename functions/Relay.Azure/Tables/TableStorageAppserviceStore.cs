using Azure;
using Azure.Data.Tables;
using Relay.Core.Appservice;
using Relay.Core.Identifiers;

namespace Relay.Azure.Tables;

/// <summary>
/// The appservice's own tables on Table Storage, mirroring the SQLite ones: <c>Transactions</c>
/// (partition: appservice id, row: escaped transaction key), <c>ProtectedRooms</c> (partition: appservice
/// id, row: escaped room id) and <c>DirectRooms</c> (partition: appservice id, a <c>user|</c> and a
/// <c>room|</c> row per DM so it is found from either side; both change in one entity-group transaction).
/// </summary>
public sealed class TableStorageAppserviceStore : ITransactionLog, IProtectedRoomStore, IDirectRoomStore
{
    private readonly TableClient _transactions;
    private readonly TableClient _protected;
    private readonly TableClient _direct;
    private readonly string _partition;

    public TableStorageAppserviceStore(TableServiceClient service, string appserviceId, string tablePrefix = "")
    {
        _transactions = service.GetTableClient(tablePrefix + "Transactions");
        _protected = service.GetTableClient(tablePrefix + "ProtectedRooms");
        _direct = service.GetTableClient(tablePrefix + "DirectRooms");
        _partition = TableKey.For(appserviceId);
    }

    public IReadOnlyList<string> TableNames => [_transactions.Name, _protected.Name, _direct.Name];

    public async Task CreateTablesAsync(CancellationToken cancellationToken = default)
    {
        foreach (var table in new[] { _transactions, _protected, _direct })
        {
            await table.CreateIfNotExistsAsync(cancellationToken);
        }
    }

    public async Task<bool> IsProcessedAsync(string transactionKey, CancellationToken cancellationToken = default) =>
        (await _transactions.GetEntityIfExistsAsync<TableEntity>(_partition, TableKey.For(transactionKey), ["PartitionKey"], cancellationToken)).HasValue;

    public async Task MarkProcessedAsync(string transactionKey, DateTimeOffset at, TimeSpan keepFor,
        CancellationToken cancellationToken = default)
    {
        await _transactions.UpsertEntityAsync(new TableEntity(_partition, TableKey.For(transactionKey))
        {
            ["ProcessedAt"] = at.UtcTicks,
        }, TableUpdateMode.Replace, cancellationToken);
        // Forget the old ones in the same call, as the SQLite log does; a failure here only keeps them longer.
        var before = (at - keepFor).UtcTicks;
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {_partition} and ProcessedAt lt {before}");
        var stale = new List<TableTransactionAction>();
        await foreach (var row in _transactions.QueryAsync<TableEntity>(filter, 100, ["PartitionKey", "RowKey"], cancellationToken))
        {
            stale.Add(new TableTransactionAction(TableTransactionActionType.Delete, row, ETag.All));
            if (stale.Count == 100)
            {
                await DeleteAsync(_transactions, stale, cancellationToken);
                stale.Clear();
            }
        }
        await DeleteAsync(_transactions, stale, cancellationToken);
    }

    public async Task ProtectAsync(RoomId room, UserId invitedBy, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        try
        {
            await _protected.AddEntityAsync(new TableEntity(_partition, TableKey.For(room.Value))
            {
                ["RoomId"] = room.Value,
                ["InvitedBy"] = invitedBy.Value,
                ["ProtectedAt"] = at.UtcTicks,
            }, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // Already protected: the first record stands.
        }
    }

    public Task UnprotectAsync(RoomId room, CancellationToken cancellationToken = default) =>
        _protected.DeleteEntityAsync(_partition, TableKey.For(room.Value), ETag.All, cancellationToken);

    public async Task<bool> IsProtectedAsync(RoomId room, CancellationToken cancellationToken = default) =>
        (await _protected.GetEntityIfExistsAsync<TableEntity>(_partition, TableKey.For(room.Value), ["PartitionKey"], cancellationToken)).HasValue;

    public async Task<IReadOnlyList<RoomId>> ListAsync(int max, CancellationToken cancellationToken = default)
    {
        var rows = new List<(long At, string Room)>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {_partition}");
        await foreach (var row in _protected.QueryAsync<TableEntity>(filter, 1000, ["RoomId", "ProtectedAt"], cancellationToken))
        {
            rows.Add((row.GetInt64("ProtectedAt") ?? 0, row.GetString("RoomId") ?? ""));
        }
        return rows
            .OrderByDescending(r => r.At)
            .ThenBy(r => r.Room, StringComparer.Ordinal)
            .Select(r => RoomId.TryParse(r.Room, out var id) ? id : (RoomId?)null)
            .OfType<RoomId>()
            .Take(max)
            .ToList();
    }

    public async Task RecordAsync(UserId user, RoomId room, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        // Replaces the user's old room and the room's old user, like the SQLite store's delete-then-insert.
        var oldRoom = await FindRoomAsync(user, cancellationToken);
        var oldUser = await FindUserAsync(room, cancellationToken);
        var actions = new Dictionary<string, TableTransactionAction>(StringComparer.Ordinal);
        if (oldRoom is { } previousRoom && previousRoom != room)
        {
            actions[RoomRow(previousRoom)] = Delete(RoomRow(previousRoom));
        }
        if (oldUser is { } previousUser && previousUser != user)
        {
            actions[UserRow(previousUser)] = Delete(UserRow(previousUser));
        }
        actions[UserRow(user)] = new TableTransactionAction(TableTransactionActionType.UpsertReplace,
            new TableEntity(_partition, UserRow(user)) { ["UserId"] = user.Value, ["RoomId"] = room.Value, ["CreatedAt"] = at.UtcTicks });
        actions[RoomRow(room)] = new TableTransactionAction(TableTransactionActionType.UpsertReplace,
            new TableEntity(_partition, RoomRow(room)) { ["UserId"] = user.Value, ["RoomId"] = room.Value, ["CreatedAt"] = at.UtcTicks });
        await _direct.SubmitTransactionAsync(actions.Values, cancellationToken);
    }

    public async Task<RoomId?> FindRoomAsync(UserId user, CancellationToken cancellationToken = default) =>
        await GetDirectAsync(UserRow(user), "RoomId", cancellationToken) is { } value && RoomId.TryParse(value, out var room) ? room : null;

    public async Task<UserId?> FindUserAsync(RoomId room, CancellationToken cancellationToken = default) =>
        await GetDirectAsync(RoomRow(room), "UserId", cancellationToken) is { } value && UserId.TryParse(value, out var user) ? user : null;

    public async Task ForgetAsync(RoomId room, CancellationToken cancellationToken = default)
    {
        var user = await FindUserAsync(room, cancellationToken);
        var actions = new List<TableTransactionAction> { Delete(RoomRow(room)) };
        if (user is { } owner && await FindRoomAsync(owner, cancellationToken) == room)
        {
            actions.Add(Delete(UserRow(owner)));
        }
        try
        {
            await _direct.SubmitTransactionAsync(actions, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // Already forgotten.
        }
    }

    private async Task<string?> GetDirectAsync(string rowKey, string property, CancellationToken cancellationToken)
    {
        var row = await _direct.GetEntityIfExistsAsync<TableEntity>(_partition, rowKey, [property], cancellationToken);
        return row.HasValue ? row.Value!.GetString(property) : null;
    }

    private TableTransactionAction Delete(string rowKey) =>
        new(TableTransactionActionType.Delete, new TableEntity(_partition, rowKey), ETag.All);

    private static string UserRow(UserId user) => "user|" + TableKey.For(user.Value);

    private static string RoomRow(RoomId room) => "room|" + TableKey.For(room.Value);

    private static async Task DeleteAsync(TableClient table, List<TableTransactionAction> deletes, CancellationToken cancellationToken)
    {
        if (deletes.Count == 0)
        {
            return;
        }
        try
        {
            await table.SubmitTransactionAsync(deletes, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // Another instance deleted some of them first.
        }
    }
}
