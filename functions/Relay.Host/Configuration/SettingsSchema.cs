using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using Relay.Host.Escalation;
using Relay.Host.Memory;
using Relay.Host.Retention;

namespace Relay.Host.Configuration;

/// <summary>
/// Every setting Relay reads under <c>Relay</c>, by the options classes bound there: what the settings check compares the
/// configuration against. A new options section is added to <see cref="Sections"/>, or its keys are reported as unknown.
/// </summary>
public sealed class SettingsSchema
{
    public static IReadOnlyList<(string Section, Type Options)> Sections { get; } =
    [
        (RelayOptions.Section, typeof(RelayOptions)),
        (EscalationOptions.Section, typeof(EscalationOptions)),
        (SmtpOptions.Section, typeof(SmtpOptions)),
        (CyberTiplineOptions.Section, typeof(CyberTiplineOptions)),
        (CommunityAdminsOptions.Section, typeof(CommunityAdminsOptions)),
        (RetentionOptions.Section, typeof(RetentionOptions)),
        (MemoryOptions.Section, typeof(MemoryOptions)),
        (StorageOptions.Section, typeof(StorageOptions)),
        (ServiceBusOptions.Section, typeof(ServiceBusOptions)),
        (TelemetryOptions.Section, typeof(TelemetryOptions)),
    ];

    private readonly Dictionary<string, Type> _leaves = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _open = new(StringComparer.OrdinalIgnoreCase);

    private SettingsSchema()
    {
    }

    public static SettingsSchema Instance { get; } = Build();

    /// <summary>Keys as the configuration spells them (<c>Relay:Dashboard:Enabled</c>); list items as <c>*</c>.</summary>
    public IReadOnlyCollection<string> Keys => _leaves.Keys;

    /// <summary>The type a key is bound to, or null for a key no option reads.</summary>
    public Type? TypeOf(string key)
    {
        var pattern = Pattern(key);
        if (_leaves.TryGetValue(pattern, out var type))
        {
            return type;
        }
        // Under a dictionary or a free-form section every key is accepted, as strings.
        return _open.Any(prefix => pattern.StartsWith(prefix + ":", StringComparison.OrdinalIgnoreCase)) ? typeof(string) : null;
    }

    /// <summary>The known key nearest to a misspelt one (at most three edits away), to name in the warning.</summary>
    public string? Nearest(string key)
    {
        var pattern = Pattern(key);
        var best = _leaves.Keys.Select(k => (Key: k, Distance: Distance(k, pattern))).MinBy(x => x.Distance);
        return best.Key is not null && best.Distance <= 3 ? best.Key : null;
    }

    /// <summary>Numeric segments (list indexes) as <c>*</c>.</summary>
    public static string Pattern(string key) =>
        string.Join(':', key.Split(':').Select(part => part.Length > 0 && part.All(char.IsAsciiDigit) ? "*" : part));

    [UnconditionalSuppressMessage("Trimming", "IL2072", Justification = "Options types are kept by the configuration binding generator.")]
    [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = "Options types are kept by the configuration binding generator.")]
    [UnconditionalSuppressMessage("Trimming", "IL2062", Justification = "Options types are kept by the configuration binding generator.")]
    private static SettingsSchema Build()
    {
        var schema = new SettingsSchema();
        foreach (var (section, type) in Sections)
        {
            schema.Walk(section, type, depth: 0);
        }
        return schema;
    }

    [UnconditionalSuppressMessage("Trimming", "IL2072", Justification = "Options types are kept by the configuration binding generator.")]
    [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = "Options types are kept by the configuration binding generator.")]
    [UnconditionalSuppressMessage("Trimming", "IL2075", Justification = "Options types are kept by the configuration binding generator.")]
    private void Walk(string prefix, Type type, int depth)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length > 0 || property.GetMethod is null
                || (property.SetMethod is null && !typeof(IEnumerable).IsAssignableFrom(property.PropertyType)))
            {
                continue; // computed, like DashboardOptions.IsHttps: not bound
            }
            Add(prefix + ":" + property.Name, property.PropertyType, depth);
        }
    }

    [UnconditionalSuppressMessage("Trimming", "IL2072", Justification = "Options types are kept by the configuration binding generator.")]
    [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = "Options types are kept by the configuration binding generator.")]
    [UnconditionalSuppressMessage("Trimming", "IL2075", Justification = "Options types are kept by the configuration binding generator.")]
    private void Add(string key, Type type, int depth)
    {
        var plain = Nullable.GetUnderlyingType(type) ?? type;
        if (IsLeaf(plain))
        {
            _leaves[key] = plain;
        }
        else if (plain.IsGenericType && plain.GetGenericTypeDefinition() == typeof(Dictionary<,>))
        {
            _open.Add(key);
        }
        else if (plain.IsArray || (plain.IsGenericType && typeof(IEnumerable).IsAssignableFrom(plain)))
        {
            var item = plain.IsArray ? plain.GetElementType()! : plain.GetGenericArguments()[0];
            Add(key + ":*", item, depth + 1);
        }
        else if (plain.IsClass && depth < 8)
        {
            Walk(key, plain, depth + 1);
        }
    }

    private static bool IsLeaf(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(TimeSpan)
        || type == typeof(Uri) || type == typeof(DateTimeOffset) || type == typeof(Guid);

    private static int Distance(string a, string b)
    {
        a = a.ToLowerInvariant();
        b = b.ToLowerInvariant();
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }
            previous = current;
        }
        return previous[b.Length];
    }
}
