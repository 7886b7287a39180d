using System.Diagnostics;
using Relay.Reliability;
using Relay.Reliability.Scenarios;
using Relay.Reliability.Support;

// Prints Relay's reliability and security figures as one table; exits 1 if any rule does not hold.
//   dotnet run --project tests/Relay.Reliability -c Release -- [--full] [--seed N] [--only name,name]
var run = RunSettings.Parse(args);
var only = Array.IndexOf(args, "--only") is var at and >= 0 && at + 1 < args.Length
    ? args[at + 1].Split(',', StringSplitOptions.RemoveEmptyEntries)
    : null;
var table = new FigureTable();
var scenarios = new (string Name, Func<RunSettings, FigureTable, Task> Run)[]
{
    ("faults", FaultScenario.RunAsync),
    ("bad-input", BadInputScenario.RunAsync),
    ("authorization", AuthorizationScenario.RunAsync),
    ("abuse", AbuseScenario.RunAsync),
    ("security", SecurityScenario.RunAsync),
    ("soak", SoakScenario.RunAsync),
    ("crash", CrashScenario.RunAsync),
};
var total = Stopwatch.StartNew();
foreach (var (name, scenario) in scenarios)
{
    if (only is not null && !only.Contains(name))
    {
        continue;
    }
    var watch = Stopwatch.StartNew();
    Console.Error.WriteLine($"[{name}] running...");
    try
    {
        await scenario(run, table);
        table.Add("run", $"{name}: seconds", (long)watch.Elapsed.TotalSeconds);
    }
    catch (Exception e)
    {
        table.Add("run", $"{name}: crashed", 1, new Rule.Zero());
        table.Note($"{name} crashed: {e}");
    }
    Console.Error.WriteLine($"[{name}] done in {watch.Elapsed.TotalSeconds:F1} s");
}
table.Zero("logs", "secrets in Relay's logs (every in-process Relay, at Debug)", Relay.Tests.Harness.LogSecrets.LeaksFound);
table.Add("logs", "log records checked", Relay.Tests.Harness.LogSecrets.RecordsChecked);
table.Print(Console.Out, $"Relay reliability and security figures ({(run.Full ? "full" : "short")} mode, seed {run.Seed}, {total.Elapsed.TotalSeconds:F0} s)");
return table.AllHold ? 0 : 1;
