using Microsoft.Data.Sqlite;

namespace Relay.Sqlite;

/// <summary>
/// The schema as numbered migrations; <c>PRAGMA user_version</c> records how many have run. Append new
/// steps, never edit a shipped one: files in the field are at every earlier version.
/// Times are UTC ticks (INTEGER) from the injected TimeProvider, never SQLite's clock, so they sort and
/// compare as numbers and tests can move time.
/// </summary>
internal static class SqliteSchema
{
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE Cases (
            Id            TEXT    NOT NULL PRIMARY KEY,
            TargetKind    INTEGER NOT NULL,
            RoomId        TEXT,
            EventId       TEXT,
            UserId        TEXT,
            EventType     TEXT,
            DedupeKey     TEXT    NOT NULL,
            State         TEXT    NOT NULL,
            Tier          INTEGER NOT NULL,
            Category      TEXT,
            ReporterCount INTEGER NOT NULL,
            ReportCount   INTEGER NOT NULL,
            OpenedAt      INTEGER NOT NULL,
            UpdatedAt     INTEGER NOT NULL,
            CaseRoom      TEXT,
            Version       INTEGER NOT NULL
        );
        CREATE INDEX Cases_ByOpened ON Cases (OpenedAt DESC, Id DESC);
        CREATE INDEX Cases_ByState ON Cases (State, OpenedAt DESC, Id DESC);

        -- One row per open case. The primary key is what stops two concurrent first reports from opening two cases.
        CREATE TABLE CaseIndex (
            DedupeKey TEXT NOT NULL PRIMARY KEY,
            CaseId    TEXT NOT NULL UNIQUE REFERENCES Cases (Id)
        ) WITHOUT ROWID;

        -- Who already counts in a case, by keyed hash, so distinct reporters are counted without names.
        CREATE TABLE CaseReporters (
            CaseId       TEXT NOT NULL REFERENCES Cases (Id),
            ReporterHash TEXT NOT NULL,
            PRIMARY KEY (CaseId, ReporterHash)
        ) WITHOUT ROWID;

        CREATE TABLE Reports (
            Id             TEXT    NOT NULL PRIMARY KEY,
            CaseId         TEXT    NOT NULL REFERENCES Cases (Id),
            TargetKind     INTEGER NOT NULL,
            RoomId         TEXT,
            EventId        TEXT,
            UserId         TEXT,
            EventType      TEXT,
            ReporterHash   TEXT    NOT NULL,
            Reporter       TEXT,
            Category       TEXT,
            Reason         TEXT,
            Source         INTEGER NOT NULL,
            ReceivedAt     INTEGER NOT NULL,
            IdempotencyKey TEXT UNIQUE
        );
        CREATE INDEX Reports_ByCase ON Reports (CaseId, ReceivedAt, Id);

        CREATE TABLE Audit (
            Seq    INTEGER PRIMARY KEY AUTOINCREMENT,
            CaseId TEXT    NOT NULL REFERENCES Cases (Id),
            At     INTEGER NOT NULL,
            Actor  TEXT    NOT NULL,
            Action TEXT    NOT NULL,
            Detail TEXT
        );
        CREATE INDEX Audit_ByCase ON Audit (CaseId, Seq);
        -- Append-only is enforced by the file itself, not just by the code that happens to use it.
        CREATE TRIGGER Audit_NoUpdate BEFORE UPDATE ON Audit BEGIN SELECT RAISE(ABORT, 'Audit is append-only'); END;
        CREATE TRIGGER Audit_NoDelete BEFORE DELETE ON Audit BEGIN SELECT RAISE(ABORT, 'Audit is append-only'); END;

        -- VisibleAt is when the message may next be received: NotBefore, then lease expiry, then backoff.
        CREATE TABLE Queue (
            Seq           INTEGER PRIMARY KEY AUTOINCREMENT,
            Id            TEXT    NOT NULL UNIQUE,
            Topic         TEXT    NOT NULL,
            Body          TEXT    NOT NULL,
            NotBefore     INTEGER,
            EnqueuedAt    INTEGER NOT NULL,
            VisibleAt     INTEGER NOT NULL,
            DeliveryCount INTEGER NOT NULL DEFAULT 0,
            LeaseToken    TEXT,
            LastError     TEXT
        );
        CREATE INDEX Queue_ByTopicVisible ON Queue (Topic, VisibleAt);

        CREATE TABLE DeadLetters (
            Seq            INTEGER PRIMARY KEY AUTOINCREMENT,
            Id             TEXT    NOT NULL,
            Topic          TEXT    NOT NULL,
            Body           TEXT    NOT NULL,
            NotBefore      INTEGER,
            EnqueuedAt     INTEGER NOT NULL,
            DeliveryCount  INTEGER NOT NULL,
            Reason         TEXT    NOT NULL,
            DeadLetteredAt INTEGER NOT NULL
        );
        """,
        """
        -- Appservice transactions already processed: (appservice, txnId + body hash), expired after a week.
        CREATE TABLE Transactions (
            Appservice  TEXT    NOT NULL,
            TxnKey      TEXT    NOT NULL,
            ProcessedAt INTEGER NOT NULL,
            PRIMARY KEY (Appservice, TxnKey)
        ) WITHOUT ROWID;
        CREATE INDEX Transactions_ByTime ON Transactions (ProcessedAt);

        -- Rooms whose moderators invited the bot.
        CREATE TABLE ProtectedRooms (
            RoomId      TEXT    NOT NULL PRIMARY KEY,
            InvitedBy   TEXT    NOT NULL,
            ProtectedAt INTEGER NOT NULL
        ) WITHOUT ROWID;

        -- The bot's DM room with each user.
        CREATE TABLE DirectRooms (
            UserId    TEXT    NOT NULL PRIMARY KEY,
            RoomId    TEXT    NOT NULL UNIQUE,
            CreatedAt INTEGER NOT NULL
        ) WITHOUT ROWID;
        """,
        """
        -- Case rooms: the summary posted there and the reporter count it shows; one room per case and one case per room.
        ALTER TABLE Cases ADD COLUMN SummaryEvent TEXT;
        ALTER TABLE Cases ADD COLUMN SummaryRevision INTEGER NOT NULL DEFAULT 0;
        CREATE UNIQUE INDEX Cases_ByCaseRoom ON Cases (CaseRoom) WHERE CaseRoom IS NOT NULL;
        CREATE INDEX Cases_ByRoomState ON Cases (RoomId, State);

        -- Reporters who opted in to follow their case in its room.
        CREATE TABLE CaseFollowers (
            CaseId    TEXT    NOT NULL REFERENCES Cases (Id),
            UserId    TEXT    NOT NULL,
            OptedInAt INTEGER NOT NULL,
            PRIMARY KEY (CaseId, UserId)
        ) WITHOUT ROWID;
        """,
        """
        -- A web-form reporter's optional contact address, for a later follow-up (Reporter is null for them).
        ALTER TABLE Reports ADD COLUMN ContactEmail TEXT;
        """,
        """
        -- Escalation: when the current tier's deadline passes (null: none pending), so the sweep finds overdue cases.
        ALTER TABLE Cases ADD COLUMN NextDueAt INTEGER;
        CREATE INDEX Cases_ByNextDue ON Cases (NextDueAt) WHERE NextDueAt IS NOT NULL;

        -- Evidence of cases escalated to the authorities: the event as the bot fetched it and its SHA-256, never media.
        CREATE TABLE Evidence (
            CaseId      TEXT    NOT NULL REFERENCES Cases (Id),
            Item        TEXT    NOT NULL,
            Content     TEXT    NOT NULL,
            Sha256      TEXT    NOT NULL,
            ReportedAt  INTEGER NOT NULL,
            EscalatedAt INTEGER NOT NULL,
            PreservedAt INTEGER NOT NULL,
            ExpiresAt   INTEGER NOT NULL,
            PRIMARY KEY (CaseId, Item)
        ) WITHOUT ROWID;
        CREATE INDEX Evidence_ByExpiry ON Evidence (ExpiresAt);
        """,
        """
        -- Data lifecycle. The tombstone of each purged (erased) case outlives it: which case, when, by whom, how much went.
        CREATE TABLE Purges (
            CaseId        TEXT    NOT NULL PRIMARY KEY,
            PurgedAt      INTEGER NOT NULL,
            Actor         TEXT    NOT NULL,
            Reports       INTEGER NOT NULL,
            AuditLines    INTEGER NOT NULL,
            EvidenceItems INTEGER NOT NULL
        ) WITHOUT ROWID;

        -- Audit stays append-only while its case lives; its lines go with the case once it is closed (retention) or
        -- under a tombstone (erasure), and no other way.
        DROP TRIGGER Audit_NoDelete;
        CREATE TRIGGER Audit_NoDelete BEFORE DELETE ON Audit
          WHEN NOT EXISTS (SELECT 1 FROM Purges WHERE CaseId = OLD.CaseId)
           AND COALESCE((SELECT State FROM Cases WHERE Id = OLD.CaseId), 'Open') NOT IN ('Resolved', 'Dismissed')
        BEGIN SELECT RAISE(ABORT, 'Audit is append-only while its case is open'); END;

        -- Evidence keeps its own retention and outlives its case, so it can no longer reference the Cases row.
        CREATE TABLE Evidence_Unbound (
            CaseId      TEXT    NOT NULL,
            Item        TEXT    NOT NULL,
            Content     TEXT    NOT NULL,
            Sha256      TEXT    NOT NULL,
            ReportedAt  INTEGER NOT NULL,
            EscalatedAt INTEGER NOT NULL,
            PreservedAt INTEGER NOT NULL,
            ExpiresAt   INTEGER NOT NULL,
            PRIMARY KEY (CaseId, Item)
        ) WITHOUT ROWID;
        INSERT INTO Evidence_Unbound SELECT CaseId, Item, Content, Sha256, ReportedAt, EscalatedAt, PreservedAt, ExpiresAt FROM Evidence;
        DROP TABLE Evidence;
        ALTER TABLE Evidence_Unbound RENAME TO Evidence;
        CREATE INDEX Evidence_ByExpiry ON Evidence (ExpiresAt);

        -- The retention sweep finds closed cases by their last change.
        CREATE INDEX Cases_ByStateUpdated ON Cases (State, UpdatedAt);
        """,
        """
        -- The moderator dashboard: sign-in links and sessions, each by the SHA-256 of its token (never the token).
        CREATE TABLE DashboardSignIns (
            TokenHash TEXT    NOT NULL PRIMARY KEY,
            UserId    TEXT    NOT NULL,
            ExpiresAt INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE DashboardSessions (
            SessionHash TEXT    NOT NULL PRIMARY KEY,
            UserId      TEXT    NOT NULL,
            Rooms       TEXT    NOT NULL,
            CreatedAt   INTEGER NOT NULL,
            ExpiresAt   INTEGER NOT NULL
        ) WITHOUT ROWID;
        """,
        """
        -- Every receive dead-letters leased messages whose last lease ran out; without this it scanned the whole
        -- queue twice, and the queue holds a scheduled deadline for every open case. Only leased rows are indexed.
        CREATE INDEX Queue_ByLeaseExpiry ON Queue (VisibleAt) WHERE LeaseToken IS NOT NULL;
        """,
        """
        -- Past its room's case-room budget a case is gathered into an incident room instead of getting its own.
        ALTER TABLE Cases ADD COLUMN Incident TEXT;
        """,
    ];

    public static int CurrentVersion => Migrations.Length;

    public static async Task MigrateAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        // IMMEDIATE so two processes starting on one file serialise here instead of both migrating.
        await using var transaction = connection.BeginTransaction(deferred: false);
        var version = await connection.Int64Async(transaction, "PRAGMA user_version", cancellationToken);
        if (version > CurrentVersion)
        {
            throw new InvalidOperationException(
                $"The database file is at schema version {version}, newer than this build ({CurrentVersion}); upgrade Relay.");
        }
        for (var step = (int)version; step < Migrations.Length; step++)
        {
            await connection.ExecuteAsync(transaction, Migrations[step], cancellationToken);
        }
        await connection.ExecuteAsync(transaction, $"PRAGMA user_version = {CurrentVersion}", cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }
}
