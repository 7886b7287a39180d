using Relay.TestHomeserver;

namespace Relay.Reliability.Scenarios;

/// <summary>Random homeserver faults on the requests Relay makes: 429 with retry_after_ms, 5xx, slow, timed out, truncated, dropped.</summary>
public static class Faults
{
    private static readonly (string Name, Func<RecordedRequest, bool> Match)[] Targets =
    [
        ("whoami", r => r.Path.EndsWith("/account/whoami", StringComparison.Ordinal)),
        ("event", r => r.Method == "GET" && r.Path.Contains("/event/", StringComparison.Ordinal)),
        ("createRoom", r => r.Path.EndsWith("/createRoom", StringComparison.Ordinal)),
        ("invite", r => r.Path.EndsWith("/invite", StringComparison.Ordinal)),
        ("send", r => r.Method == "PUT" && r.Path.Contains("/send/", StringComparison.Ordinal)),
        ("state", r => r.Method == "GET" && r.Path.Contains("/state", StringComparison.Ordinal)),
        ("members", r => r.Path.Contains("/joined_members", StringComparison.Ordinal) || r.Path.Contains("/members", StringComparison.Ordinal)),
        ("directory", r => r.Path.Contains("/directory/", StringComparison.Ordinal)),
        ("redact", r => r.Path.Contains("/redact/", StringComparison.Ordinal)),
    ];

    /// <summary>Injects one random fault on one random kind of request; returns its description.</summary>
    public static string InjectRandom(Random random, TestHomeserver.TestHomeserver homeserver, TimeSpan timeout)
    {
        var (target, match) = Targets[random.Next(Targets.Length)];
        var (name, fault) = random.Next(8) switch
        {
            0 => ("429", Fault.RateLimited(50 + random.Next(3000))),
            1 => ("500", Fault.Status(500)),
            2 => ("502", Fault.Status(502)),
            3 => ("503", Fault.Status(503)),
            4 => ("slow", Fault.Delay(TimeSpan.FromMilliseconds(100 + random.Next(300)))),
            5 => ("timeout", Fault.Delay(timeout + TimeSpan.FromMilliseconds(500))),
            6 => ("truncated JSON", Fault.TruncatedJson),
            _ => ("connection dropped", Fault.Abort),
        };
        homeserver.InjectFault(match, fault, 1 + random.Next(2));
        return $"{name} on {target}";
    }
}
