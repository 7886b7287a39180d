using System.Diagnostics.CodeAnalysis;

namespace Relay.Core.Reports;

/// <summary>
/// A harm identifier from the MSC4456 taxonomy, always held in its stable <c>m.</c> form.
/// The unstable <c>org.matrix.msc4456.</c> prefix is accepted on input.
/// </summary>
public readonly record struct HarmCategory
{
    private const string UnstablePrefix = "org.matrix.msc4456.";

    /// <summary>
    /// MSC4456's table, in its order: identifier, category and suggested name. The one place harms are
    /// listed; <see cref="Name"/>, <see cref="CategoryName"/> and <see cref="InTaxonomyOrder"/> read it.
    /// </summary>
    private static readonly (string Id, string Category, string Name)[] Taxonomy =
    [
        ("m.spam", "Spam", "General/Other"),
        ("m.spam.fraud", "Spam", "Fraud/Phishing"),
        ("m.spam.impersonation", "Spam", "Impersonation"),
        ("m.spam.election_interference", "Spam", "Election Interference"),
        ("m.spam.flooding", "Spam", "Flooding"),
        ("m.adult", "Adult Content & Safety", "General/Other"),
        ("m.adult.sexual_abuse", "Adult Content & Safety", "Sexual Abuse"),
        ("m.adult.ncii", "Adult Content & Safety", "Non-Consensual Intimate Imagery"),
        ("m.adult.deepfake", "Adult Content & Safety", "Deepfake"),
        ("m.adult.animal_sexual_abuse", "Adult Content & Safety", "Animal Sexual Abuse"),
        ("m.adult.sexual_violence", "Adult Content & Safety", "Sexual Violence"),
        ("m.harassment", "Harassment", "General/Other"),
        ("m.harassment.trolling", "Harassment", "Trolling"),
        ("m.harassment.targeted", "Harassment", "Targeted"),
        ("m.harassment.hate", "Harassment", "Hate"),
        ("m.harassment.doxxing", "Harassment", "Doxxing/Personal Information"),
        ("m.violence", "Violence", "General/Other"),
        ("m.violence.animal_welfare", "Violence", "Animal Welfare"),
        ("m.violence.threats", "Violence", "Threatening/Threats"),
        ("m.violence.graphic", "Violence", "Graphic/Gore"),
        ("m.violence.glorification", "Violence", "Glorification/Promotion"),
        ("m.violence.extremist", "Violence", "Extremism"),
        ("m.violence.human_trafficking", "Violence", "Human Trafficking"),
        ("m.violence.domestic", "Violence", "Domestic/Intimate Partner"),
        ("m.child_safety", "Child Safety", "General/Other"),
        ("m.child_safety.csam", "Child Safety", "Child Sexual Abuse Material (CSAM)"),
        ("m.child_safety.grooming", "Child Safety", "Grooming"),
        ("m.child_safety.privacy_violation", "Child Safety", "Privacy"),
        ("m.child_safety.harassment", "Child Safety", "Harassment"),
        ("m.danger", "Dangers", "General/Other"),
        ("m.danger.self_harm", "Dangers", "Self Harm"),
        ("m.danger.eating_disorder", "Dangers", "Eating Disorder"),
        ("m.danger.challenges", "Dangers", "Challenges, including Social Media Challenges"),
        ("m.danger.substance_abuse", "Dangers", "Substance Abuse"),
        ("m.tos", "Terms of Service", "General/Other"),
        ("m.tos.hacking", "Terms of Service", "Hacking/Computer Misuse"),
        ("m.tos.prohibited", "Terms of Service", "Prohibited Items (Drugs, Weapons, etc)"),
        ("m.tos.ban_evasion", "Terms of Service", "Ban Evasion"),
        ("m.other", "Other", "Other Concern"),
    ];

    private static readonly Dictionary<string, (string Category, string Name)> Known =
        Taxonomy.ToDictionary(h => h.Id, h => (h.Category, h.Name), StringComparer.Ordinal);

    private HarmCategory(string id) => Id = id;

    public string Id { get; }

    /// <summary>Child-safety harms leave the community at once and never show content.</summary>
    public bool IsChildSafety => Id.StartsWith("m.child_safety", StringComparison.Ordinal);

    /// <summary>"General/Other" identifiers, for which MSC4457 requires a description.</summary>
    public bool IsGeneral => !Id.AsSpan(2).Contains('.');

    /// <summary>MSC4456's suggested name, e.g. "Fraud/Phishing" (the general ones are "General/Other").</summary>
    public string Name => Known[Id].Name;

    /// <summary>The (non-normative) category MSC4456 groups the harm under, e.g. "Spam".</summary>
    public string CategoryName => Known[Id].Category;

    /// <summary>The name people read for a report or case without a category, wherever categories are named.</summary>
    public const string NoneLabel = "Unspecified";

    /// <summary>
    /// The one name people read for this harm, in the case room, the CLI, the dashboard and its figures: "Spam" for a general
    /// one, "Spam: Fraud/Phishing" for a specific one. The identifier stays for machines (JSON, the transparency CSV).
    /// </summary>
    public string Label => IsGeneral ? CategoryName : $"{CategoryName}: {Name}";

    /// <summary><see cref="Label"/>, or <see cref="NoneLabel"/> when there is no category.</summary>
    public static string LabelOf(HarmCategory? category) => category?.Label ?? NoneLabel;

    /// <summary>The label of an identifier as machines write it (the transparency report's "unspecified" included).</summary>
    public static string LabelOf(string? id) => TryParse(id, out var harm) ? harm.Label : NoneLabel;

    /// <summary>Every harm in the proposal's order, grouped by category: the order a form shows them in.</summary>
    public static IEnumerable<HarmCategory> InTaxonomyOrder => Taxonomy.Select(h => new HarmCategory(h.Id));

    public static IEnumerable<HarmCategory> All => Known.Keys.Order(StringComparer.Ordinal).Select(id => new HarmCategory(id));

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
        if (!Known.ContainsKey(stable))
        {
            return false;
        }
        harm = new HarmCategory(stable);
        return true;
    }

    public static HarmCategory Parse(string value) =>
        TryParse(value, out var harm) ? harm : throw new FormatException($"Unknown harm identifier: {value}");

    public override string ToString() => Id;
}
