using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Relay.Core;
using Relay.Core.Cases;
using Relay.Core.Queue;
using Relay.Core.Reports;

namespace Relay.Azure.Tables;

/// <summary>
/// The Azure adapter of the intake and case ports on Table Storage. The layout and why it is atomic
/// are in <see cref="TableNames"/>; the write in <c>TableStorageReportStore.Commit.cs</c>, the read side
/// in <c>.Cases.cs</c>, outbox delivery in <see cref="OutboxSender"/>.
/// </summary>
public sealed partial class TableStorageReportStore : IReportStore, ICaseStore, IStoreHealth
{
    private readonly TableClient _cases;
    private readonly TableClient _caseIndex;
    private readonly TableClient _reportKeys;
    private readonly TableClient _outboxMarkers;
    private readonly TableServiceClient _service;
    private readonly OutboxSender _outbox;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TableStorageOptions _options;
    private readonly UlidGenerator _ids;

    public TableStorageReportStore(TableServiceClient service, ICaseQueue queue, TimeProvider time,
        ILogger<TableStorageReportStore> logger, TableStorageOptions? options = null)
    {
        _options = options ?? new TableStorageOptions();
        Names = new TableNames(_options.TablePrefix);
        _service = service;
        _cases = service.GetTableClient(Names.Cases);
        _caseIndex = service.GetTableClient(Names.CaseIndex);
        _reportKeys = service.GetTableClient(Names.ReportKeys);
        _outboxMarkers = service.GetTableClient(Names.Outbox);
        _time = time;
        _ids = new UlidGenerator(time);
        _logger = logger;
        _outbox = new OutboxSender(_cases, _outboxMarkers, queue, time, logger, _options.OutboxGrace);
    }

    public TableNames Names { get; }

    public string StoreName => "table-storage";

    public string QueueName => "service-bus";

    /// <summary>Re-sends what commits left in the outbox (a crash, or Service Bus down); the sweep calls this.</summary>
    public OutboxSender Outbox => _outbox;

    /// <summary>Creates the tables that do not exist yet (Azurite, a fresh account); Bicep creates them in Azure.</summary>
    public async Task CreateTablesAsync(CancellationToken cancellationToken = default)
    {
        foreach (var name in Names.All)
        {
            await _service.GetTableClient(name).CreateIfNotExistsAsync(cancellationToken);
        }
    }

    public async Task<bool> IsReachableAsync(CancellationToken cancellationToken = default)
    {
        // A point read of a row that never exists: proves the account answers and the identity may read.
        await _caseIndex.GetEntityIfExistsAsync<TableEntity>("healthz", "", ["PartitionKey"], cancellationToken);
        return true;
    }

    public async Task<OpenCaseSnapshot?> FindOpenCaseAsync(string dedupeKey, string reporterHash,
        CancellationToken cancellationToken = default)
    {
        var partition = TableKey.For(dedupeKey);
        var open = await GetAsync(_cases, partition, CaseRowKeys.Open, cancellationToken);
        if (open?.GetString("CaseId") is not { } caseId)
        {
            return null;
        }
        var caseRow = GetAsync(_cases, partition, CaseRowKeys.Case(caseId), cancellationToken);
        var reporterRow = GetAsync(_cases, partition, CaseRowKeys.Reporter(caseId, reporterHash), cancellationToken);
        if (await caseRow is not { } row)
        {
            return null;
        }
        var found = RowMapping.ToCase(row);
        // The pointer is removed in the same transaction that closes a case; the check guards hand edits.
        return found.State.IsOpen() ? new OpenCaseSnapshot(found, await reporterRow is not null) : null;
    }

    public async Task<Report?> FindReportByIdempotencyKeyAsync(string idempotencyKey,
        CancellationToken cancellationToken = default)
    {
        var claim = await GetAsync(_reportKeys, TableKey.For(idempotencyKey), "", cancellationToken);
        if (claim is null)
        {
            return null;
        }
        var report = await GetAsync(_cases, RowMapping.Required(claim, "Partition"),
            CaseRowKeys.Report(RowMapping.Required(claim, "CaseId"), RowMapping.Required(claim, "ReportId")), cancellationToken);
        // A claim whose report is missing belongs to a commit in flight or one that died: not a report yet.
        return report is null ? null : RowMapping.ToReport(report);
    }

    private static async Task<TableEntity?> GetAsync(TableClient table, string partition, string row,
        CancellationToken cancellationToken)
    {
        var response = await table.GetEntityIfExistsAsync<TableEntity>(partition, row, cancellationToken: cancellationToken);
        return response.HasValue ? response.Value : null;
    }

    /// <summary>The partition holding a case's rows, from the index written when the case was opened.</summary>
    private async Task<string?> PartitionOfAsync(CaseId id, CancellationToken cancellationToken) =>
        (await GetAsync(_caseIndex, id.Value, "", cancellationToken))?.GetString("Partition");
}
