using Microsoft.Data.Sqlite;

namespace Relay.Tests.Embedded;

/// <summary>A database path in a directory of its own that does not exist yet; deleted with everything SQLite put beside it.</summary>
public sealed class TempDatabaseFile : IDisposable
{
    private readonly string _directory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "relay-tests", Guid.NewGuid().ToString("N"));

    public TempDatabaseFile()
    {
        Path = System.IO.Path.Combine(_directory, "data", "relay.db");
    }

    public string Path { get; }

    public void Dispose()
    {
        // Pooled connections hold the file open; the -wal and -shm files go with the directory.
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
