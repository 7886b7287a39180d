using Relay.Core;
using Relay.Core.Cases;
using Relay.Core.Escalation;
using Relay.Core.Identifiers;
using Relay.Core.Reports;
using Relay.Core.Statistics;

namespace Relay.Core.Tests.Statistics;

/// <summary>Builds case histories by hand, the way the store would return them, around a fixed start.</summary>
internal sealed class Histories
{
    public static readonly DateTimeOffset Start = new(2026, 4, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly RoomId Room = RoomId.Parse("!room:example.org");

    private readonly UlidGenerator _ids = new(TimeProvider.System);

    public static DateTimeOffset At(double days) => Start.AddDays(days);

    public HistoryBuilder Case(double openedDay, string? category = "m.spam") => new(this, At(openedDay), category);

    internal string NewId() => _ids.Next();

    internal sealed class HistoryBuilder
    {
        private readonly Histories _owner;
        private readonly DateTimeOffset _opened;
        private readonly string? _category;
        private readonly CaseId _id;
        private readonly List<Report> _reports = [];
        private readonly List<AuditEntry> _audit = [];
        private CaseState _state = CaseState.Open;
        private DateTimeOffset _updated;
        private int _tier = 1;

        public HistoryBuilder(Histories owner, DateTimeOffset opened, string? category)
        {
            _owner = owner;
            _opened = opened;
            _category = category;
            _id = CaseId.Parse(owner.NewId());
            _updated = opened;
        }

        private HarmCategory? Category => _category is null ? null : HarmCategory.Parse(_category);

        public HistoryBuilder Report(double day, ReportSource source = ReportSource.ClientEventReport, string? reportCategory = "same")
        {
            var harm = reportCategory == "same" ? Category : reportCategory is null ? null : HarmCategory.Parse(reportCategory);
            _reports.Add(new Report(_owner.NewId(), _id, new ReportTarget.RoomTarget(Room), new string('a', 32),
                UserId.Parse("@reporter:example.org"), harm, "a reason", source, At(day), null));
            return Line(day, "reporter:aaaaaaaa", "report.filed");
        }

        public HistoryBuilder Line(double day, string actor, string action, string? detail = null)
        {
            _audit.Add(new AuditEntry(_id, At(day), actor, action, detail));
            _updated = At(day) > _updated ? At(day) : _updated;
            return this;
        }

        public HistoryBuilder Action(double day, string command, string actor = "@mod:example.org") => Line(day, actor, "action." + command);

        public HistoryBuilder Acknowledge(double day, string actor = "@mod:example.org")
        {
            _state = CaseState.Acknowledged;
            return Action(day, "ack", actor).Line(day, actor, "case.acknowledged");
        }

        public HistoryBuilder Close(double day, CaseState state = CaseState.Resolved, string actor = "@mod:example.org")
        {
            _state = state;
            var command = state == CaseState.Resolved ? "resolve" : "dismiss";
            return Action(day, command, actor).Line(day, actor, "case." + state.ToString().ToLowerInvariant());
        }

        public HistoryBuilder Escalate(double day, int to, string actor = AuditEntry.System, params string[] channels)
        {
            Line(day, actor, EscalationAudit.Escalated, EscalationAudit.EscalatedDetail(_tier, to, "tier " + to, "why"));
            _tier = to;
            _state = _state == CaseState.Acknowledged ? _state : CaseState.Escalated;
            return channels.Length == 0 ? this : Line(day, AuditEntry.System, EscalationAudit.Queued, EscalationAudit.QueuedDetail(to, channels));
        }

        public CaseHistory Build() => new(
            new Case(_id, new ReportTarget.RoomTarget(Room), _state, _tier, Category, 1, _reports.Count, _opened, _updated),
            _reports,
            [new AuditEntry(_id, _opened, AuditEntry.System, "case.opened"), .. _audit]);
    }
}
