namespace Relay.Reliability;

/// <summary>What a figure must satisfy for the run to pass.</summary>
public abstract record Rule(string Text)
{
    public abstract bool Holds(long value);

    public sealed record Info() : Rule("")
    {
        public override bool Holds(long value) => true;
    }

    public sealed record Zero() : Rule("must be 0")
    {
        public override bool Holds(long value) => value == 0;
    }

    public sealed record EqualTo(long Expected, string What) : Rule($"must equal {What} ({Expected})")
    {
        public override bool Holds(long value) => value == Expected;
    }

    public sealed record AtMost(long Limit, string What) : Rule($"must be <= {What} ({Limit})")
    {
        public override bool Holds(long value) => value <= Limit;
    }

    public sealed record AtLeast(long Floor, string What) : Rule($"must be >= {What} ({Floor})")
    {
        public override bool Holds(long value) => value >= Floor;
    }
}

public sealed record Figure(string Area, string Name, long Value, Rule Rule)
{
    public bool Holds => Rule.Holds(Value);
}

/// <summary>The figures of one run, printed as one table; the run fails if any rule does not hold.</summary>
public sealed class FigureTable
{
    private readonly List<Figure> _figures = [];
    private readonly List<string> _notes = [];

    public IReadOnlyList<Figure> Figures => _figures;

    public bool AllHold => _figures.All(f => f.Holds);

    public void Add(string area, string name, long value, Rule? rule = null) =>
        _figures.Add(new Figure(area, name, value, rule ?? new Rule.Info()));

    public void Zero(string area, string name, long value) => Add(area, name, value, new Rule.Zero());

    public void Note(string note) => _notes.Add(note);

    public void Print(TextWriter output, string title)
    {
        var areaWidth = Math.Max(4, _figures.Max(f => f.Area.Length));
        var nameWidth = Math.Max(6, _figures.Max(f => f.Name.Length));
        var valueWidth = Math.Max(5, _figures.Max(f => f.Value.ToString(System.Globalization.CultureInfo.InvariantCulture).Length));
        var ruleWidth = Math.Max(4, _figures.Max(f => f.Rule.Text.Length));
        output.WriteLine(title);
        output.WriteLine();
        Row("area", "figure", "value", "rule", "ok");
        output.WriteLine($"|{new string('-', areaWidth + 2)}|{new string('-', nameWidth + 2)}|{new string('-', valueWidth + 1)}:|{new string('-', ruleWidth + 2)}|----|");
        foreach (var f in _figures)
        {
            Row(f.Area, f.Name, f.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), f.Rule.Text,
                f.Rule is Rule.Info ? "" : f.Holds ? "ok" : "FAIL");
        }
        output.WriteLine();
        foreach (var note in _notes)
        {
            output.WriteLine(note);
        }
        var failed = _figures.Count(f => !f.Holds);
        output.WriteLine(failed == 0 ? $"All {_figures.Count(f => f.Rule is not Rule.Info)} rules hold." : $"{failed} rule(s) FAILED.");

        void Row(string area, string name, string value, string rule, string ok) =>
            output.WriteLine($"| {area.PadRight(areaWidth)} | {name.PadRight(nameWidth)} | {value.PadLeft(valueWidth)} | {rule.PadRight(ruleWidth)} | {ok,-2} |");
    }
}
