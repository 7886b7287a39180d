using System.Text.Json;
using System.Text.Json.Serialization;
using System.Xml;
using Relay.Core.Reports;

namespace Relay.Core.Escalation;

/// <summary>
/// The policy as written by an operator (the <c>Relay:Escalation:Tiers</c> configuration section, or the JSON file
/// named by <c>Relay__Escalation__PolicyFile</c>), before it is checked. Deadlines are ISO-8601 durations (<c>PT30M</c>).
/// </summary>
public sealed record PolicyDefinition([property: JsonPropertyName("tiers")] IReadOnlyList<TierDefinition>? Tiers)
{
    /// <summary>Reads a policy file; malformed JSON is reported as an error naming <paramref name="source"/>, not thrown.</summary>
    public static PolicyDefinition? Parse(string json, string source, List<string> errors)
    {
        try
        {
            var parsed = JsonSerializer.Deserialize(json, EscalationJsonContext.Default.PolicyDefinition);
            if (parsed is null)
            {
                errors.Add($"{source}: the file holds null; expected an object with \"tiers\".");
            }
            return parsed;
        }
        catch (JsonException e)
        {
            errors.Add($"{source}: not a policy document ({e.Message}).");
            return null;
        }
    }

    /// <summary>
    /// Checks every tier and returns the policy, or null with one message per problem in <paramref name="errors"/>,
    /// each naming the tier (<c>{source} tier 2</c>) and the field.
    /// </summary>
    public EscalationPolicy? TryBuild(string source, List<string> errors)
    {
        var before = errors.Count;
        if (Tiers is not { Count: > 0 } tiers)
        {
            errors.Add($"{source}: a policy needs at least one tier.");
            return null;
        }
        var built = new List<EscalationTier>();
        for (var i = 0; i < tiers.Count; i++)
        {
            var where = $"{source} tier {i + 1}";
            if (tiers[i] is not { } tier)
            {
                errors.Add($"{where}: empty.");
                continue;
            }
            if (tier.Build(i + 1, where, errors) is { } ok)
            {
                built.Add(ok);
            }
        }
        if (tiers.Count > 0 && tiers[0]?.Triggers is { } first && (first.Categories is { Count: > 0 } || first.DistinctReporters is not null))
        {
            errors.Add($"{source} tier 1: every case starts at tier 1, so its triggers would do nothing; remove them.");
        }
        return errors.Count == before ? new EscalationPolicy(built) : null;
    }
}

public sealed record TierDefinition(
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("channels")] IReadOnlyList<string>? Channels,
    [property: JsonPropertyName("deadline")] string? Deadline,
    [property: JsonPropertyName("triggers")] TriggerDefinition? Triggers)
{
    internal EscalationTier? Build(int number, string where, List<string> errors)
    {
        var before = errors.Count;
        if (string.IsNullOrWhiteSpace(Name))
        {
            errors.Add($"{where}: Name is missing; say who this tier reaches, e.g. \"community admins\".");
        }
        var channels = new List<string>();
        foreach (var channel in Channels ?? [])
        {
            var kind = channel?.Trim().ToLowerInvariant() ?? "";
            if (kind == ChannelKinds.CaseRoom)
            {
                continue;
            }
            if (!ChannelKinds.Configurable.Contains(kind))
            {
                errors.Add($"{where}: unknown channel '{channel}'; known: {string.Join(", ", ChannelKinds.Configurable)}.");
            }
            else if (!channels.Contains(kind))
            {
                channels.Add(kind);
            }
        }
        TimeSpan? deadline = null;
        if (!string.IsNullOrWhiteSpace(Deadline))
        {
            deadline = ParseDuration(Deadline.Trim());
            if (deadline is null)
            {
                errors.Add($"{where}: Deadline '{Deadline}' is not an ISO-8601 duration like PT30M, PT4H or P1D.");
            }
            else if (deadline < TimeSpan.FromMinutes(1))
            {
                errors.Add($"{where}: Deadline '{Deadline}' is shorter than a minute.");
            }
        }
        var categories = new List<string>();
        foreach (var category in Triggers?.Categories ?? [])
        {
            if (HarmCategory.TryParse(category?.Trim(), out var harm))
            {
                categories.Add(harm.Id);
            }
            else
            {
                errors.Add($"{where}: trigger category '{category}' is not an MSC4456 harm identifier (e.g. m.child_safety, m.spam).");
            }
        }
        if (Triggers?.DistinctReporters is < 1)
        {
            errors.Add($"{where}: DistinctReporters must be at least 1.");
        }
        return errors.Count == before
            ? new EscalationTier(number, Name!.Trim(), channels, deadline,
                new TierTriggers(categories, Triggers?.DistinctReporters, Triggers?.ModeratorCommand ?? number > 1))
            : null;
    }

    /// <summary>An ISO-8601 duration (<c>PT30M</c>, <c>P1DT2H</c>), or null.</summary>
    public static TimeSpan? ParseDuration(string value)
    {
        if (!value.StartsWith('P'))
        {
            return null;
        }
        try
        {
            var span = XmlConvert.ToTimeSpan(value);
            return span > TimeSpan.Zero ? span : null;
        }
        catch (FormatException)
        {
            return null;
        }
        catch (OverflowException)
        {
            return null;
        }
    }
}

public sealed record TriggerDefinition(
    [property: JsonPropertyName("categories")] IReadOnlyList<string>? Categories,
    [property: JsonPropertyName("distinct_reporters")] int? DistinctReporters,
    [property: JsonPropertyName("moderator_command")] bool? ModeratorCommand);

[JsonSourceGenerationOptions(ReadCommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true,
    PropertyNameCaseInsensitive = true, UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(PolicyDefinition))]
internal sealed partial class EscalationJsonContext : JsonSerializerContext;
