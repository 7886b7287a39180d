using Microsoft.Data.Sqlite;
using Relay.Core.Appservice;
using Relay.Core.Identifiers;

namespace Relay.Sqlite;

/// <summary>The appservice's own tables: processed transactions, protected rooms, the bot's DM rooms.</summary>
public sealed class SqliteAppserviceStore(SqliteDatabase database, string appserviceId)
    : ITransactionLog, IProtectedRoomStore, IDirectRoomStore
{
    public async Task<bool> IsProcessedAsync(string transactionKey, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command(null,
                "SELECT 1 FROM Transactions WHERE Appservice = @As AND TxnKey = @Key")
            .With("@As", appserviceId).With("@Key", transactionKey);
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }

    public async Task MarkProcessedAsync(string transactionKey, DateTimeOffset at, TimeSpan keepFor,
        CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);
        await connection.Command(transaction,
                "INSERT INTO Transactions (Appservice, TxnKey, ProcessedAt) VALUES (@As, @Key, @At) ON CONFLICT DO NOTHING")
            .With("@As", appserviceId).With("@Key", transactionKey).With("@At", UtcTicks.From(at))
            .ExecuteAndDisposeAsync(cancellationToken);
        await connection.Command(transaction, "DELETE FROM Transactions WHERE ProcessedAt < @Before")
            .With("@Before", UtcTicks.From(at - keepFor))
            .ExecuteAndDisposeAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public Task ProtectAsync(RoomId room, UserId invitedBy, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        ExecuteAsync("INSERT INTO ProtectedRooms (RoomId, InvitedBy, ProtectedAt) VALUES (@Room, @By, @At) ON CONFLICT DO NOTHING",
            cancellationToken, ("@Room", room.Value), ("@By", invitedBy.Value), ("@At", UtcTicks.From(at)));

    public Task UnprotectAsync(RoomId room, CancellationToken cancellationToken = default) =>
        ExecuteAsync("DELETE FROM ProtectedRooms WHERE RoomId = @Room", cancellationToken, ("@Room", room.Value));

    public async Task<bool> IsProtectedAsync(RoomId room, CancellationToken cancellationToken = default) =>
        await ScalarStringAsync("SELECT RoomId FROM ProtectedRooms WHERE RoomId = @Room", cancellationToken, ("@Room", room.Value)) is not null;

    public async Task<IReadOnlyList<RoomId>> ListAsync(int max, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command(null,
                "SELECT RoomId FROM ProtectedRooms ORDER BY ProtectedAt DESC, RoomId LIMIT @Max")
            .With("@Max", max);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rooms = new List<RoomId>();
        while (await reader.ReadAsync(cancellationToken))
        {
            if (RoomId.TryParse(reader.GetString(0), out var room))
            {
                rooms.Add(room);
            }
        }
        return rooms;
    }

    public async Task RecordAsync(UserId user, RoomId room, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);
        await connection.Command(transaction, "DELETE FROM DirectRooms WHERE RoomId = @Room OR UserId = @User")
            .With("@Room", room.Value).With("@User", user.Value)
            .ExecuteAndDisposeAsync(cancellationToken);
        await connection.Command(transaction, "INSERT INTO DirectRooms (UserId, RoomId, CreatedAt) VALUES (@User, @Room, @At)")
            .With("@Room", room.Value).With("@User", user.Value).With("@At", UtcTicks.From(at))
            .ExecuteAndDisposeAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<RoomId?> FindRoomAsync(UserId user, CancellationToken cancellationToken = default) =>
        RoomId.TryParse(await ScalarStringAsync("SELECT RoomId FROM DirectRooms WHERE UserId = @User", cancellationToken,
            ("@User", user.Value)), out var room) ? room : null;

    public async Task<UserId?> FindUserAsync(RoomId room, CancellationToken cancellationToken = default) =>
        UserId.TryParse(await ScalarStringAsync("SELECT UserId FROM DirectRooms WHERE RoomId = @Room", cancellationToken,
            ("@Room", room.Value)), out var user) ? user : null;

    public Task ForgetAsync(RoomId room, CancellationToken cancellationToken = default) =>
        ExecuteAsync("DELETE FROM DirectRooms WHERE RoomId = @Room", cancellationToken, ("@Room", room.Value));

    private async Task ExecuteAsync(string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var command = connection.Command(null, sql);
        foreach (var (name, value) in parameters)
        {
            command.With(name, value);
        }
        await command.ExecuteAndDisposeAsync(cancellationToken);
    }

    private async Task<string?> ScalarStringAsync(string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using SqliteCommand command = connection.Command(null, sql);
        foreach (var (name, value) in parameters)
        {
            command.With(name, value);
        }
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }
}
