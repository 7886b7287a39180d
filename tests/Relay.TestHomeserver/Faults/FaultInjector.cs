namespace Relay.TestHomeserver.Faults;

/// <summary>Hands out injected faults, each to at most its remaining number of matching requests, first rule first.</summary>
internal sealed class FaultInjector
{
    private readonly Lock _gate = new();
    private readonly List<Rule> _rules = [];

    public void Add(Func<RecordedRequest, bool> match, Fault fault, int times)
    {
        ArgumentNullException.ThrowIfNull(match);
        ArgumentNullException.ThrowIfNull(fault);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(times);
        lock (_gate)
        {
            _rules.Add(new Rule(match, fault) { Remaining = times });
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _rules.Clear();
        }
    }

    public Fault? Take(RecordedRequest request)
    {
        lock (_gate)
        {
            foreach (var rule in _rules)
            {
                if (rule.Remaining > 0 && rule.Match(request))
                {
                    rule.Remaining--;
                    return rule.Fault;
                }
            }

            _rules.RemoveAll(r => r.Remaining == 0);
            return null;
        }
    }

    private sealed class Rule(Func<RecordedRequest, bool> match, Fault fault)
    {
        public Func<RecordedRequest, bool> Match { get; } = match;

        public Fault Fault { get; } = fault;

        public int Remaining { get; set; }
    }
}
