using Relay.Tests.Contracts;

namespace Relay.Tests.Embedded;

public sealed class SqliteReportStoreTests : ReportStoreContract, IDisposable
{
    private readonly TempDatabaseFile _file = new();

    protected override Task<IStoreUnderTest> CreateStoreAsync() => SqliteStoreUnderTest.OpenAsync(_file.Path, Time);

    public void Dispose() => _file.Dispose();
}
