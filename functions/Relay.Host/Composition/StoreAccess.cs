using Relay.Core.Cases;
using Relay.Host.Configuration;
using Relay.Sqlite;

namespace Relay.Host.Composition;

/// <summary>
/// The store for CLI commands: the same configuration sources as <c>relay serve</c> (appsettings.json,
/// environment, command line), but only the store settings are needed.
/// </summary>
public sealed class StoreAccess : IAsyncDisposable
{
    private readonly SqliteDatabase _database;

    private StoreAccess(SqliteDatabase database, SqliteReportStore cases)
    {
        _database = database;
        Cases = cases;
        Writes = cases;
    }

    public ICaseStore Cases { get; }

    public ICaseWriteStore Writes { get; }

    /// <summary>Null, after telling the operator why on stderr, when there is no store to open.</summary>
    public static async Task<StoreAccess?> OpenOrExplainAsync(string[] args, CancellationToken cancellationToken)
    {
        try
        {
            return await OpenAsync(args, cancellationToken);
        }
        catch (InvalidOperationException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return null;
        }
    }

    public static async Task<StoreAccess> OpenAsync(string[] args, CancellationToken cancellationToken)
    {
        var configuration = new ConfigurationBuilder()
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine(args)
            .Build();
        var path = configuration[$"{RelayOptions.Section}:Data:Path"] ?? new DataOptions().Path;
        if (!File.Exists(path))
        {
            throw new InvalidOperationException(
                $"No Relay store at '{Path.GetFullPath(path)}'. Run 'relay serve' first, or set Relay__Data__Path.");
        }
        var database = new SqliteDatabase(path);
        await database.MigrateAsync(cancellationToken);
        return new StoreAccess(database, new SqliteReportStore(database, TimeProvider.System));
    }

    public ValueTask DisposeAsync()
    {
        _database.Dispose();
        return ValueTask.CompletedTask;
    }
}
