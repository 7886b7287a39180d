using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using Relay.Host.Configuration;

namespace Relay.Infra.Tests.Docs;

/// <summary>
/// docs/configuration.md has one table row for every setting Relay binds (found by reflection over every options class
/// with a <c>Relay…</c> <c>Section</c>), with its true default, and no row for a setting Relay does not read.
/// </summary>
public sealed partial class ConfigurationReferenceTests
{
    private static readonly Lazy<IReadOnlyDictionary<string, string>> Rows = new(ReadRows);

    public static TheoryData<string> Settings => [.. Bound().Select(s => s.Name)];

    [Fact]
    public void The_reflection_finds_settings_of_every_section_lists_and_nested_lists()
    {
        var names = Bound().Select(s => s.Name).ToList();

        Assert.Contains("Relay__Homeserver__Url", names);
        Assert.Contains("Relay__Dashboard__SessionHours", names);
        Assert.Contains("Relay__Storage__TableServiceUri", names);
        Assert.Contains("Relay__Smtp__Tls", names);
        Assert.Contains("Relay__Reports__ProtectedRooms__N", names);
        Assert.Contains("Relay__Escalation__Tiers__N__Triggers__Categories__N", names);
        Assert.Contains("Relay__Memory__IdleTrimSeconds", names);
    }

    [Theory]
    [MemberData(nameof(Settings))]
    public void Every_setting_has_a_row_with_its_default(string setting)
    {
        Assert.True(Rows.Value.TryGetValue(setting, out var defaultCell),
            $"docs/configuration.md has no row for {setting}: add it to the table (name, default, meaning).");
        var declared = Bound().Single(s => s.Name == setting).Default;
        if (declared is not null)
        {
            Assert.True(defaultCell.Contains($"`{declared}`", StringComparison.Ordinal),
                $"docs/configuration.md gives {setting} the default '{defaultCell}', but Relay's is {declared}.");
        }
    }

    [Fact]
    public void Every_documented_relay_setting_is_one_relay_reads()
    {
        var bound = Bound().Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        var sources = Directory.GetFiles(Repository.PathOf("functions"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(File.ReadAllText)
            .ToList();

        var unknown = Rows.Value.Keys
            .Where(name => name.StartsWith("Relay__", StringComparison.Ordinal) && !bound.Contains(name))
            .Where(name => !sources.Any(s => s.Contains(name.Replace("__", ":", StringComparison.Ordinal), StringComparison.Ordinal)))
            .ToList();

        Assert.True(unknown.Count == 0, $"docs/configuration.md documents settings Relay never reads: {string.Join(", ", unknown)}.");
    }

    private sealed record Setting(string Name, string? Default);

    private static IReadOnlyList<Setting> Bound()
    {
        var sections = typeof(RelayOptions).Assembly.GetReferencedAssemblies()
            .Where(a => a.Name?.StartsWith("Relay.", StringComparison.Ordinal) == true)
            .Select(Assembly.Load)
            .Append(typeof(RelayOptions).Assembly)
            .SelectMany(a => a.GetTypes())
            .Select(t => (Type: t, Section: t.GetField("Section", BindingFlags.Public | BindingFlags.Static)?.GetRawConstantValue() as string))
            .Where(t => t.Section is "Relay" || t.Section?.StartsWith("Relay:", StringComparison.Ordinal) == true);

        var settings = new List<Setting>();
        foreach (var (type, section) in sections)
        {
            Walk(type, section!.Replace(":", "__", StringComparison.Ordinal), Activator.CreateInstance(type), settings);
        }
        return settings.DistinctBy(s => s.Name).ToList();
    }

    private static void Walk(Type type, string prefix, object? instance, List<Setting> settings)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            var name = $"{prefix}__{property.Name}";
            var value = instance is null ? null : property.GetValue(instance);
            var propertyType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (IsLeaf(propertyType))
            {
                settings.Add(new Setting(name, Format(value)));
            }
            else if (ElementType(propertyType) is { } element)
            {
                if (IsLeaf(element))
                {
                    settings.Add(new Setting(name + "__N", null));
                }
                else
                {
                    Walk(element, name + "__N", Activator.CreateInstance(element), settings);
                }
            }
            else
            {
                Walk(propertyType, name, value ?? Activator.CreateInstance(propertyType), settings);
            }
        }
    }

    private static bool IsLeaf(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(TimeSpan) || type == typeof(Uri);

    private static Type? ElementType(Type type) =>
        type.IsArray ? type.GetElementType()
        : type.IsGenericType && typeof(IEnumerable).IsAssignableFrom(type) ? type.GetGenericArguments()[0]
        : null;

    private static string? Format(object? value) => value switch
    {
        null or "" => null,
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    private static IReadOnlyDictionary<string, string> ReadRows()
    {
        var rows = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in Markdown.ProseLines(Repository.Text("docs", "configuration.md")))
        {
            var row = Row().Match(line);
            if (row.Success)
            {
                foreach (Match name in SettingName().Matches(row.Groups["names"].Value))
                {
                    rows[name.Groups[1].Value] = row.Groups["default"].Value.Trim();
                }
            }
        }
        return rows;
    }

    [GeneratedRegex(@"^\|(?<names>[^|]*)\|(?<default>[^|]*)\|")]
    private static partial Regex Row();

    [GeneratedRegex(@"`([A-Za-z_]+(?:__[A-Za-z_]+)*)`")]
    private static partial Regex SettingName();
}
