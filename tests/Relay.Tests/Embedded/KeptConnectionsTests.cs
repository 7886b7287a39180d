using System.Data;
using Microsoft.Data.Sqlite;
using Relay.Sqlite;

namespace Relay.Tests.Embedded;

/// <summary>
/// The connections kept for every report's reads and group commits: their statements stay prepared between uses,
/// a burst does not leave more than a few open, and releasing idle memory closes them.
/// </summary>
public sealed class KeptConnectionsTests : IDisposable
{
    private const string Sql = "SELECT count(*) FROM sqlite_schema";

    private readonly TempDatabaseFile _file = new();

    private int _opened;

    [Fact]
    public async Task A_returned_connection_comes_back_with_its_statements_still_prepared()
    {
        using var database = await SqliteDatabase.OpenAsync(_file.Path);
        using var kept = Kept(database, keep: 2);

        KeptConnection first;
        SqliteCommand command;
        await using (first = await kept.RentAsync(CancellationToken.None))
        {
            command = first.Statements.For(Sql);
            await command.ExecuteScalarAsync();
        }
        await using var again = await kept.RentAsync(CancellationToken.None);

        Assert.Same(first, again);
        Assert.Same(command, again.Statements.For(Sql));
        Assert.Equal(1, _opened);
    }

    [Fact]
    public async Task After_a_burst_only_the_kept_number_stay_open()
    {
        using var database = await SqliteDatabase.OpenAsync(_file.Path);
        using var kept = Kept(database, keep: 2);

        var burst = await RentAsync(kept, 4);
        await ReturnAsync(burst);

        Assert.Equal(2, burst.Count(c => c.Connection.State == ConnectionState.Open));
        var next = await RentAsync(kept, 4);
        Assert.Equal(6, _opened);
        await ReturnAsync(next);
    }

    [Fact]
    public async Task Clear_closes_idle_connections_and_those_in_use_when_they_come_back()
    {
        using var database = await SqliteDatabase.OpenAsync(_file.Path);
        using var kept = Kept(database, keep: 2);
        var idle = await kept.RentAsync(CancellationToken.None);
        var busy = await kept.RentAsync(CancellationToken.None);
        await idle.DisposeAsync();

        kept.Clear();

        Assert.Equal(ConnectionState.Closed, idle.Connection.State);
        Assert.Equal(ConnectionState.Open, busy.Connection.State);
        await busy.DisposeAsync();
        Assert.Equal(ConnectionState.Closed, busy.Connection.State);
        await using var fresh = await kept.RentAsync(CancellationToken.None);
        Assert.NotSame(idle, fresh);
        Assert.NotSame(busy, fresh);
    }

    private KeptConnections Kept(SqliteDatabase database, int keep) => new(async cancellationToken =>
    {
        Interlocked.Increment(ref _opened);
        return await database.OpenConnectionAsync(cancellationToken);
    }, keep);

    private static async Task<List<KeptConnection>> RentAsync(KeptConnections kept, int count)
    {
        var rented = new List<KeptConnection>();
        for (var i = 0; i < count; i++)
        {
            rented.Add(await kept.RentAsync(CancellationToken.None));
        }
        return rented;
    }

    private static async Task ReturnAsync(List<KeptConnection> rented)
    {
        foreach (var connection in rented)
        {
            await connection.DisposeAsync();
        }
    }

    public void Dispose() => _file.Dispose();
}
