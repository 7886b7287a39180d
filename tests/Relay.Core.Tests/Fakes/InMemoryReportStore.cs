using Relay.Core.Cases;
using Relay.Core.Queue;
using Relay.Core.Reports;

namespace Relay.Core.Tests.Fakes;

/// <summary>
/// A faithful little <see cref="IReportStore"/>: an ETag per case checked on every update, one open
/// case per dedupe key, unique idempotency keys, all-or-nothing commits. <see cref="BeforeNextCommit"/>
/// runs once inside the next commit, before its checks, to let a test slip a concurrent writer in.
/// </summary>
public sealed class InMemoryReportStore : IReportStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<CaseId, Case> _cases = [];
    private readonly Dictionary<string, CaseId> _openByKey = new(StringComparer.Ordinal);
    private readonly Dictionary<CaseId, HashSet<string>> _reporters = [];
    private readonly Dictionary<string, Report> _byIdempotencyKey = new(StringComparer.Ordinal);
    private readonly List<Report> _reports = [];
    private readonly List<AuditEntry> _audit = [];
    private readonly List<QueueMessage> _outbox = [];
    private readonly List<ReportCommit> _commits = [];
    private int _version;

    public Func<Task>? BeforeNextCommit { get; set; }

    /// <summary>When set, every commit fails with a conflict (a store under permanent contention).</summary>
    public bool AlwaysConflict { get; set; }

    public int CommitAttempts { get; private set; }

    public IReadOnlyList<ReportCommit> Commits { get { lock (_gate) { return [.. _commits]; } } }

    public IReadOnlyList<Report> Reports { get { lock (_gate) { return [.. _reports]; } } }

    public IReadOnlyList<AuditEntry> Audit { get { lock (_gate) { return [.. _audit]; } } }

    public IReadOnlyList<QueueMessage> Outbox { get { lock (_gate) { return [.. _outbox]; } } }

    public IReadOnlyList<Case> Cases { get { lock (_gate) { return [.. _cases.Values]; } } }

    public Case GetCase(CaseId id)
    {
        lock (_gate)
        {
            return _cases[id];
        }
    }

    public Task<OpenCaseSnapshot?> FindOpenCaseAsync(string dedupeKey, string reporterHash, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (!_openByKey.TryGetValue(dedupeKey, out var id) || !_cases[id].State.IsOpen())
            {
                return Task.FromResult<OpenCaseSnapshot?>(null);
            }
            return Task.FromResult<OpenCaseSnapshot?>(new OpenCaseSnapshot(_cases[id], _reporters[id].Contains(reporterHash)));
        }
    }

    public Task<Report?> FindReportByIdempotencyKeyAsync(string idempotencyKey, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_byIdempotencyKey.GetValueOrDefault(idempotencyKey));
        }
    }

    public async Task CommitAsync(ReportCommit commit, CancellationToken cancellationToken = default)
    {
        var before = BeforeNextCommit;
        BeforeNextCommit = null;
        if (before is not null)
        {
            await before();
        }
        lock (_gate)
        {
            CommitAttempts++;
            if (AlwaysConflict)
            {
                throw new ConcurrencyConflictException("Simulated contention.");
            }
            var key = commit.Case.DedupeKey;
            if (commit.Report.IdempotencyKey is { } idem && _byIdempotencyKey.ContainsKey(idem))
            {
                throw new ConcurrencyConflictException("Idempotency key already taken.");
            }
            if (commit.IsNewCase)
            {
                if (commit.Case.ETag is not null || _cases.ContainsKey(commit.Case.Id))
                {
                    throw new InvalidOperationException("A new case must not carry an ETag or reuse an ID.");
                }
                if (_openByKey.TryGetValue(key, out var openId) && _cases[openId].State.IsOpen())
                {
                    throw new ConcurrencyConflictException("Another open case for the target appeared.");
                }
            }
            else if (!_cases.TryGetValue(commit.Case.Id, out var stored) || stored.ETag != commit.Case.ETag)
            {
                throw new ConcurrencyConflictException("The case changed since it was read.");
            }
            if (commit.Report.CaseId != commit.Case.Id)
            {
                throw new InvalidOperationException("The report names another case than the one committed.");
            }

            var saved = commit.Case with { ETag = $"W/\"{++_version}\"" };
            _cases[saved.Id] = saved;
            if (commit.IsNewCase)
            {
                _openByKey[key] = saved.Id;
                _reporters[saved.Id] = new HashSet<string>(StringComparer.Ordinal);
            }
            _reporters[saved.Id].Add(commit.Report.ReporterHash);
            if (commit.Report.IdempotencyKey is { } taken)
            {
                _byIdempotencyKey[taken] = commit.Report;
            }
            _reports.Add(commit.Report);
            _audit.AddRange(commit.Audit);
            _outbox.AddRange(commit.Outbox);
            _commits.Add(commit);
        }
    }
}
