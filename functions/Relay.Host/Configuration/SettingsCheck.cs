using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Options;

namespace Relay.Host.Configuration;

/// <summary>
/// Checks the <c>Relay</c> settings against <see cref="SettingsSchema"/> once at start: a value that cannot be what its
/// setting reads (<c>ture</c> for a switch, <c>ten</c> for a number) fails start naming the setting; a key no option reads
/// (<c>Relay__Dashbord__Enabled</c>) is warned about, by name only, with the nearest known key; and the settings in
/// effect, defaults included, are logged once with every secret replaced.
/// </summary>
public static class SettingsCheck
{
    public const string Redacted = "(set, redacted)";

    /// <summary>Values the binder would fail on or misread, as operator-facing messages.</summary>
    public static List<string> Failures(IConfiguration configuration)
    {
        var failures = new List<string>();
        foreach (var (key, value) in Configured(configuration))
        {
            var type = SettingsSchema.Instance.TypeOf(key);
            if (type == typeof(bool) && !bool.TryParse(value, out _))
            {
                failures.Add($"{EnvName(key)} is '{Shown(key, value)}': write true or false.");
            }
            else if (type == typeof(int) && !int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _))
            {
                failures.Add($"{EnvName(key)} is '{Shown(key, value)}': write a whole number.");
            }
        }
        return failures;
    }

    /// <summary>Keys under <c>Relay</c> that no option reads, with the nearest known key if one is close.</summary>
    public static List<(string Key, string? DidYouMean)> Unknown(IConfiguration configuration) =>
        [.. Configured(configuration)
            .Where(setting => SettingsSchema.Instance.TypeOf(setting.Key) is null)
            .Select(setting => (EnvName(setting.Key), SettingsSchema.Instance.Nearest(setting.Key) is { } near ? EnvName(near) : null))];

    /// <summary>Warns about unknown keys and logs the effective settings, once, after <see cref="Failures"/> found none.</summary>
    public static void Run(IConfiguration configuration, IServiceProvider services, ILogger logger)
    {
        foreach (var (key, near) in Unknown(configuration))
        {
            // The key only: an unknown key's value may be a secret put under the wrong name.
            logger.LogWarning("Unknown setting {Setting} is ignored: no Relay option reads it{Hint}", key,
                near is null ? "." : $"; did you mean {near}?");
        }
        logger.LogInformation("Relay settings in effect (secrets redacted):\n{Settings}", Effective(services));
    }

    /// <summary>Every setting of every section, as <c>Relay__Section__Key=value</c> lines, defaults included.</summary>
    [UnconditionalSuppressMessage("Trimming", "IL2072", Justification = "Options types are kept by the configuration binding generator.")]
    [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = "Options types are kept by the configuration binding generator.")]
    [UnconditionalSuppressMessage("Trimming", "IL2075", Justification = "Options types are kept by the configuration binding generator.")]
    [UnconditionalSuppressMessage("Trimming", "IL2055", Justification = "IOptions<T> of a kept options type.")]
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "Relay is not compiled ahead of time.")]
    public static string Effective(IServiceProvider services)
    {
        var lines = new List<string>();
        foreach (var (section, type) in SettingsSchema.Sections)
        {
            var options = services.GetService(typeof(IOptions<>).MakeGenericType(type));
            object? value;
            try
            {
                value = options?.GetType().GetProperty(nameof(IOptions<object>.Value))?.GetValue(options);
            }
            catch (TargetInvocationException e) when (e.InnerException is OptionsValidationException)
            {
                // Reported by its own validation as Relay starts, with the messages that say what to set.
                lines.Add(SettingsCheck.EnvName(section) + "=(invalid: see the start-up errors)");
                continue;
            }
            if (value is not null)
            {
                Render(section, value, lines, 0);
            }
        }
        return string.Join('\n', lines.Distinct(StringComparer.Ordinal));
    }

    [UnconditionalSuppressMessage("Trimming", "IL2075", Justification = "Options types are kept by the configuration binding generator.")]
    private static void Render(string key, object value, List<string> lines, int depth)
    {
        foreach (var property in value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length > 0 || property.SetMethod is null && property.PropertyType.IsValueType)
            {
                continue;
            }
            var name = key + ":" + property.Name;
            switch (property.GetValue(value))
            {
                case null:
                    lines.Add(EnvName(name) + "=(unset)");
                    break;
                case var plain when IsValue(plain):
                    lines.Add(EnvName(name) + "=" + Shown(name, Convert.ToString(plain, CultureInfo.InvariantCulture) ?? ""));
                    break;
                case IDictionary dictionary:
                    lines.Add(EnvName(name) + $"=({dictionary.Count} entries)");
                    break;
                case IEnumerable list:
                    var items = list.Cast<object?>().ToList();
                    if (items.All(IsValue))
                    {
                        // User IDs, room IDs, addresses: counted, not listed (a configured moderator may also be a reporter).
                        lines.Add(EnvName(name) + $"=({items.Count} entries)");
                        break;
                    }
                    for (var index = 0; index < items.Count && depth < 8; index++)
                    {
                        if (items[index] is { } item)
                        {
                            Render($"{name}:{index}", item, lines, depth + 1);
                        }
                    }
                    break;
                case var nested:
                    if (depth < 8)
                    {
                        Render(name, nested, lines, depth + 1);
                    }
                    break;
            }
        }
    }

    private static bool IsValue(object? item) => item is null or string or bool or int or long or double or TimeSpan or Enum or Uri;

    /// <summary>
    /// A value as it may be logged: secrets (tokens, keys, passwords, connection strings) only as set or unset, and URLs
    /// by scheme and host (a webhook URL's path is often its secret).
    /// </summary>
    public static string Shown(string key, string value)
    {
        var name = key[(key.LastIndexOf(':') + 1)..];
        if (value.Length == 0)
        {
            return "";
        }
        if (IsSecret(name))
        {
            return Redacted;
        }
        if (Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
        {
            var rest = uri.PathAndQuery is "/" or "" ? "" : "/(redacted)";
            return $"{uri.Scheme}://{uri.Authority}{rest}";
        }
        return value;
    }

    // The reaction key is the emoji members react with, shown so an operator can see which one Relay listens for.
    private static bool IsSecret(string name) =>
        !name.Equals("ReportReactionKey", StringComparison.OrdinalIgnoreCase)
        && IsSecretByName(name);

    private static bool IsSecretByName(string name) =>
        name.EndsWith("Token", StringComparison.OrdinalIgnoreCase) || name.Contains("Secret", StringComparison.OrdinalIgnoreCase)
        || name.Contains("Password", StringComparison.OrdinalIgnoreCase) || name.EndsWith("Key", StringComparison.OrdinalIgnoreCase)
        || name.Contains("ConnectionString", StringComparison.OrdinalIgnoreCase);

    /// <summary>A configuration key as the environment variable an operator sets: <c>Relay__Dashboard__Enabled</c>.</summary>
    public static string EnvName(string key) => key.Replace(":", "__", StringComparison.Ordinal);

    private static IEnumerable<(string Key, string Value)> Configured(IConfiguration configuration) =>
        configuration.GetSection(RelayOptions.Section).AsEnumerable()
            .Where(pair => pair.Value is not null)
            .Select(pair => (pair.Key, pair.Value!))
            .OrderBy(pair => pair.Key, StringComparer.OrdinalIgnoreCase);
}
