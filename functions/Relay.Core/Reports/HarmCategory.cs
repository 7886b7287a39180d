using System.Diagnostics.CodeAnalysis;

namespace Relay.Core.Reports;

/// <summary>
/// A harm identifier from the MSC4456 taxonomy, always held in its stable <c>m.</c> form.
/// The unstable <c>org.matrix.msc4456.</c> prefix is accepted on input.
/// </summary>
public readonly record struct HarmCategory
{
    private const string UnstablePrefix = "org.matrix.msc4456.";

    private static readonly HashSet<string> Known = new(StringComparer.Ordinal)
    {
        "m.spam", "m.spam.fraud", "m.spam.impersonation", "m.spam.election_interference", "m.spam.flooding",
        "m.adult", "m.adult.sexual_abuse", "m.adult.ncii", "m.adult.deepfake", "m.adult.animal_sexual_abuse",
        "m.adult.sexual_violence",
        "m.harassment", "m.harassment.trolling", "m.harassment.targeted", "m.harassment.hate", "m.harassment.doxxing",
        "m.violence", "m.violence.animal_welfare", "m.violence.threats", "m.violence.graphic",
        "m.violence.glorification", "m.violence.extremist", "m.violence.human_trafficking", "m.violence.domestic",
        "m.child_safety", "m.child_safety.csam", "m.child_safety.grooming", "m.child_safety.privacy_violation",
        "m.child_safety.harassment",
        "m.danger", "m.danger.self_harm", "m.danger.eating_disorder", "m.danger.challenges",
        "m.danger.substance_abuse",
        "m.tos", "m.tos.hacking", "m.tos.prohibited", "m.tos.ban_evasion",
        "m.other",
    };

    private HarmCategory(string id) => Id = id;

    public string Id { get; }

    /// <summary>Child-safety harms leave the community at once and never show content.</summary>
    public bool IsChildSafety => Id.StartsWith("m.child_safety", StringComparison.Ordinal);

    /// <summary>"General/Other" identifiers, for which MSC4457 requires a description.</summary>
    public bool IsGeneral => !Id.AsSpan(2).Contains('.');

    public static IEnumerable<HarmCategory> All => Known.Order(StringComparer.Ordinal).Select(id => new HarmCategory(id));

    public static bool TryParse([NotNullWhen(true)] string? value, out HarmCategory harm)
    {
        harm = default;
        if (value is null)
        {
            return false;
        }
        var stable = value.StartsWith(UnstablePrefix, StringComparison.Ordinal)
            ? "m." + value[UnstablePrefix.Length..]
            : value;
        if (!Known.TryGetValue(stable, out var canonical))
        {
            return false;
        }
        harm = new HarmCategory(canonical);
        return true;
    }

    public static HarmCategory Parse(string value) =>
        TryParse(value, out var harm) ? harm : throw new FormatException($"Unknown harm identifier: {value}");

    public override string ToString() => Id;
}
