using Relay.Sqlite;
using Relay.Tests.Contracts;

namespace Relay.Tests.Embedded;

public sealed partial class SqliteQueueTests : CaseQueueContract, IDisposable
{
    private readonly TempDatabaseFile _file = new();

    protected override Task<IQueueUnderTest> CreateQueueAsync(SqliteQueueOptions options) =>
        SqliteQueueUnderTest.OpenAsync(_file.Path, Time, options);

    public void Dispose() => _file.Dispose();
}
