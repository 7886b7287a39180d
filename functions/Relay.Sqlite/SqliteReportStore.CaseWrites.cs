using Microsoft.Data.Sqlite;
using Relay.Core.Cases;
using Relay.Core.Identifiers;
using Relay.Core.Queue;
using Relay.Core.Reports;

namespace Relay.Sqlite;

/// <summary>The case write side: case rooms, actions and follow-ups, each write checked against the version read.</summary>
public sealed partial class SqliteReportStore : ICaseWriteStore
{
    public async Task<Case> UpdateCaseAsync(Case updated, IReadOnlyList<AuditEntry> audit, IReadOnlyList<QueueMessage> outbox,
        CancellationToken cancellationToken = default)
    {
        foreach (var entry in audit)
        {
            if (entry.CaseId != updated.Id)
            {
                throw new ArgumentException("Audit lines must belong to the updated case.", nameof(audit));
            }
        }
        if (!CaseRows.TryParseETag(updated.ETag, out var version))
        {
            throw new ConcurrencyConflictException($"Case {updated.Id} has no ETag ({updated.ETag ?? "none"}): read it first.");
        }
        var now = time.GetUtcNow();
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);
        try
        {
            if (!await CaseRows.UpdateAsync(connection, transaction, updated, version, cancellationToken))
            {
                throw new ConcurrencyConflictException($"Case {updated.Id} changed since it was read (ETag {updated.ETag}).");
            }
            if (!updated.State.IsOpen())
            {
                await connection.Command(transaction, "DELETE FROM CaseIndex WHERE CaseId = @CaseId")
                    .With("@CaseId", updated.Id.Value)
                    .ExecuteAndDisposeAsync(cancellationToken);
            }
            await WriteAuditAndOutboxAsync(connection, transaction, audit, outbox, now, cancellationToken);
        }
        catch (SqliteException ex) when (ex.IsUniqueViolation())
        {
            throw new ConcurrencyConflictException($"Case {updated.Id} conflicts with another case: {ex.Message}");
        }
        await transaction.CommitAsync(cancellationToken);
        if (outbox.Count > 0)
        {
            database.QueueSignal.Pulse();
        }
        return updated with { ETag = CaseRows.ToETag(version + 1) };
    }

    public async Task AppendAuditAsync(IReadOnlyList<AuditEntry> audit, CancellationToken cancellationToken = default)
    {
        if (audit.Count == 0)
        {
            return;
        }
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);
        await WriteAuditAndOutboxAsync(connection, transaction, audit, [], time.GetUtcNow(), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<Case?> FindCaseByRoomAsync(RoomId caseRoom, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command(null, $"SELECT {CaseRows.Columns} FROM Cases WHERE CaseRoom = @Room")
            .With("@Room", caseRoom.Value);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? CaseRows.Read(reader) : null;
    }

    public async Task<IReadOnlyList<Case>> ListOpenCasesWithRoomsAsync(RoomId reportedRoom, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command(null, $"""
            SELECT {CaseRows.Columns} FROM Cases
             WHERE RoomId = @Room AND CaseRoom IS NOT NULL AND State IN ('Open', 'Acknowledged', 'Escalated')
             ORDER BY OpenedAt, Id
            """)
            .With("@Room", reportedRoom.Value);
        var cases = new List<Case>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var found = CaseRows.Read(reader);
            if (found.State.IsOpen())
            {
                cases.Add(found);
            }
        }
        return cases;
    }

    public async Task AddFollowerAsync(CaseId id, UserId reporter, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await connection.Command(null, """
                INSERT INTO CaseFollowers (CaseId, UserId, OptedInAt) VALUES (@CaseId, @User, @At) ON CONFLICT DO NOTHING
                """)
            .With("@CaseId", id.Value).With("@User", reporter.Value).With("@At", UtcTicks.From(at))
            .ExecuteAndDisposeAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<UserId>> GetFollowersAsync(CaseId id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command(null,
                "SELECT UserId FROM CaseFollowers WHERE CaseId = @CaseId ORDER BY OptedInAt, UserId")
            .With("@CaseId", id.Value);
        var followers = new List<UserId>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            followers.Add(UserId.Parse(reader.GetString(0)));
        }
        return followers;
    }

    private static async Task WriteAuditAndOutboxAsync(SqliteConnection connection, SqliteTransaction transaction,
        IReadOnlyList<AuditEntry> audit, IReadOnlyList<QueueMessage> outbox, DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (var entry in audit)
        {
            await AuditRows.InsertAsync(connection, transaction, entry, cancellationToken);
        }
        foreach (var message in outbox)
        {
            await QueueRows.InsertAsync(connection, transaction, message, now, cancellationToken);
        }
    }
}
