namespace Relay.Reliability.Support;

/// <summary>Short (CI, seconds) or full (minutes) mode, and the seed of every randomised part.</summary>
public sealed record RunSettings(bool Full, int Seed)
{
    /// <summary>The short count in CI, the full one with --full.</summary>
    public int Count(int shortCount, int fullCount) => Full ? fullCount : shortCount;

    public static RunSettings Parse(string[] args)
    {
        var full = args.Contains("--full");
        var seed = 20260508;
        var at = Array.IndexOf(args, "--seed");
        if (at >= 0 && at + 1 < args.Length)
        {
            seed = int.Parse(args[at + 1], System.Globalization.CultureInfo.InvariantCulture);
        }
        return new RunSettings(full, seed);
    }
}
