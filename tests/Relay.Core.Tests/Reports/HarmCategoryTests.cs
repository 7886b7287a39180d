using Relay.Core.Reports;

namespace Relay.Core.Tests.Reports;

public sealed class HarmCategoryTests
{
    /// <summary>Every identifier of MSC4456, in the proposal's order.</summary>
    private static readonly string[] Ids =
    [
        "m.spam", "m.spam.fraud", "m.spam.impersonation", "m.spam.election_interference", "m.spam.flooding",
        "m.adult", "m.adult.sexual_abuse", "m.adult.ncii", "m.adult.deepfake", "m.adult.animal_sexual_abuse",
        "m.adult.sexual_violence",
        "m.harassment", "m.harassment.trolling", "m.harassment.targeted", "m.harassment.hate", "m.harassment.doxxing",
        "m.violence", "m.violence.animal_welfare", "m.violence.threats", "m.violence.graphic",
        "m.violence.glorification", "m.violence.extremist", "m.violence.human_trafficking", "m.violence.domestic",
        "m.child_safety", "m.child_safety.csam", "m.child_safety.grooming", "m.child_safety.privacy_violation",
        "m.child_safety.harassment",
        "m.danger", "m.danger.self_harm", "m.danger.eating_disorder", "m.danger.challenges", "m.danger.substance_abuse",
        "m.tos", "m.tos.hacking", "m.tos.prohibited", "m.tos.ban_evasion",
        "m.other",
    ];

    public static TheoryData<string> Msc4456 => new(Ids);

    private static readonly string[] General =
        ["m.spam", "m.adult", "m.harassment", "m.violence", "m.child_safety", "m.danger", "m.tos", "m.other"];

    [Theory]
    [MemberData(nameof(Msc4456))]
    public void Every_msc4456_identifier_parses_to_itself(string id)
    {
        Assert.True(HarmCategory.TryParse(id, out var harm));
        Assert.Equal(id, harm.Id);
        Assert.Equal(id, HarmCategory.Parse(id).ToString());
    }

    [Theory]
    [MemberData(nameof(Msc4456))]
    public void Unstable_prefix_maps_to_the_stable_identifier(string id)
    {
        var unstable = "org.matrix.msc4456." + id["m.".Length..];
        Assert.True(HarmCategory.TryParse(unstable, out var harm));
        Assert.Equal(id, harm.Id);
        Assert.Equal(HarmCategory.Parse(id), harm);
    }

    [Fact]
    public void All_lists_exactly_the_msc4456_identifiers()
    {
        var expected = Ids.Order(StringComparer.Ordinal);
        Assert.Equal(expected, HarmCategory.All.Select(h => h.Id));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("m.")]
    [InlineData("m")]
    [InlineData("spam")]
    [InlineData("M.SPAM")]
    [InlineData("m.Spam")]
    [InlineData(" m.spam")]
    [InlineData("m.spam ")]
    [InlineData("m.spam.")]
    [InlineData("m.spam.phishing")]
    [InlineData("m.child_safety.other")]
    [InlineData("m.child_safety_extra")]
    [InlineData("m.unknown")]
    [InlineData("com.example.harm")]
    [InlineData("com.example.spam")]
    [InlineData("org.matrix.msc4456.")]
    [InlineData("org.matrix.msc4456.unknown")]
    [InlineData("org.matrix.msc9999.spam")]
    [InlineData("org.matrix.msc4456.m.spam")]
    public void Unknown_and_custom_identifiers_are_rejected(string? value)
    {
        Assert.False(HarmCategory.TryParse(value, out var harm));
        Assert.Equal(default, harm);
    }

    [Fact]
    public void Parse_of_an_unknown_identifier_throws_FormatException() =>
        Assert.Throws<FormatException>(() => HarmCategory.Parse("com.example.harm"));

    [Theory]
    [MemberData(nameof(Msc4456))]
    public void Child_safety_is_exactly_the_child_safety_branch(string id) =>
        Assert.Equal(id == "m.child_safety" || id.StartsWith("m.child_safety.", StringComparison.Ordinal),
            HarmCategory.Parse(id).IsChildSafety);

    [Theory]
    [InlineData("org.matrix.msc4456.child_safety.csam")]
    [InlineData("org.matrix.msc4456.child_safety")]
    public void Unstable_child_safety_identifiers_are_child_safety(string value) =>
        Assert.True(HarmCategory.Parse(value).IsChildSafety);

    [Theory]
    [MemberData(nameof(Msc4456))]
    public void General_is_exactly_the_general_other_identifiers(string id) =>
        Assert.Equal(General.Contains(id), HarmCategory.Parse(id).IsGeneral);

    [Fact]
    public void Taxonomy_order_is_the_proposal_order() =>
        Assert.Equal(Ids, HarmCategory.InTaxonomyOrder.Select(h => h.Id));

    [Theory]
    [InlineData("m.spam.fraud", "Spam", "Fraud/Phishing")]
    [InlineData("m.adult.ncii", "Adult Content & Safety", "Non-Consensual Intimate Imagery")]
    [InlineData("m.child_safety.csam", "Child Safety", "Child Sexual Abuse Material (CSAM)")]
    [InlineData("m.tos", "Terms of Service", "General/Other")]
    [InlineData("m.other", "Other", "Other Concern")]
    public void Harms_carry_the_msc4456_category_and_suggested_name(string id, string category, string name)
    {
        var harm = HarmCategory.Parse(id);
        Assert.Equal((category, name), (harm.CategoryName, harm.Name));
    }

    [Theory]
    [MemberData(nameof(Msc4456))]
    public void Every_harm_has_a_name_and_the_general_ones_are_general_other(string id)
    {
        var harm = HarmCategory.Parse(id);
        Assert.False(string.IsNullOrWhiteSpace(harm.Name));
        Assert.Equal(harm.IsGeneral && id != "m.other", harm.Name == "General/Other");
    }
}
