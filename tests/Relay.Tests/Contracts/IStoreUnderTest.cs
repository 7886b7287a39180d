using Relay.Core;
using Relay.Core.Cases;
using Relay.Core.Queue;
using Relay.Core.Reports;

namespace Relay.Tests.Contracts;

/// <summary>One adapter instance of the report store ports, as <see cref="ReportStoreContract"/> sees it.</summary>
public interface IStoreUnderTest : IAsyncDisposable
{
    IReportStore Reports { get; }

    ICaseStore Cases { get; }

    IStoreHealth Health { get; }

    /// <summary>The outbox as the adapter delivered it to its queue, oldest first, without consuming it.</summary>
    Task<IReadOnlyList<QueueMessage>> QueuedAsync();

    /// <summary>Disposes this instance and opens a fresh one on the same storage, as a process restart would.</summary>
    Task<IStoreUnderTest> ReopenAsync();
}
