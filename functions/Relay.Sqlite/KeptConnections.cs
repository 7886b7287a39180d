using Microsoft.Data.Sqlite;

namespace Relay.Sqlite;

/// <summary>
/// Open connections that keep their prepared statements between uses, for the statements every report runs.
/// Microsoft.Data.Sqlite prepares a command's SQL again for every new command object, even on a pooled connection,
/// and parsing the open-case lookup cost more than running it (figure 1 of the benchmarks). Up to
/// <c>keep</c> idle connections are kept; more are opened under load and go back to the ordinary pool afterwards.
/// <see cref="Clear"/> closes the idle ones and makes those in use close when returned.
/// </summary>
internal sealed class KeptConnections(Func<CancellationToken, Task<SqliteConnection>> open, int keep) : IDisposable
{
    private readonly Stack<KeptConnection> _idle = new();
    private int _generation;

    public async ValueTask<KeptConnection> RentAsync(CancellationToken cancellationToken)
    {
        int generation;
        lock (_idle)
        {
            if (_idle.TryPop(out var kept))
            {
                return kept;
            }
            generation = _generation;
        }
        return new KeptConnection(this, await open(cancellationToken), generation);
    }

    /// <summary>Closes the idle connections, and those in use as they come back: their caches and statements go with them.</summary>
    public void Clear()
    {
        KeptConnection[] closing;
        lock (_idle)
        {
            _generation++;
            closing = [.. _idle];
            _idle.Clear();
        }
        foreach (var kept in closing)
        {
            kept.Close();
        }
    }

    public void Dispose() => Clear();

    internal void Return(KeptConnection kept)
    {
        lock (_idle)
        {
            if (kept.Generation == _generation && _idle.Count < keep)
            {
                _idle.Push(kept);
                return;
            }
        }
        kept.Close();
    }
}

/// <summary>One rented connection and its statements; disposing it gives it back.</summary>
internal sealed class KeptConnection : IAsyncDisposable
{
    private readonly KeptConnections _owner;

    internal KeptConnection(KeptConnections owner, SqliteConnection connection, int generation)
    {
        _owner = owner;
        Connection = connection;
        Generation = generation;
        Statements = new PreparedStatements(connection, null);
    }

    public SqliteConnection Connection { get; }

    /// <summary>Set <see cref="PreparedStatements.Transaction"/> before use inside a transaction, and clear it after.</summary>
    public PreparedStatements Statements { get; }

    internal int Generation { get; }

    public ValueTask DisposeAsync()
    {
        Statements.Transaction = null;
        _owner.Return(this);
        return ValueTask.CompletedTask;
    }

    internal void Close()
    {
        Statements.Dispose();
        Connection.Dispose();
    }
}
