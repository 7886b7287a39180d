namespace Relay.Host.Dashboard;

/// <summary><c>Relay__Dashboard__*</c>: the moderator dashboard under <c>/_relay/</c>, off unless enabled.</summary>
public sealed class DashboardOptions
{
    public bool Enabled { get; set; }

    /// <summary>Where moderators reach Relay, e.g. https://relay.example.org: the sign-in links sent by DM start with it.</summary>
    public string? PublicBaseUrl { get; set; }

    public int SignInLinkMinutes { get; set; } = 10;

    public int SessionHours { get; set; } = 12;

    public int SignInPerAddressPerMinute { get; set; } = 5;

    public int SignInPerUserPerHour { get; set; } = 5;

    /// <summary>Session cookies are <c>Secure</c> when moderators reach Relay over HTTPS (the public URL says so).</summary>
    public bool IsHttps => PublicBaseUrl?.StartsWith("https://", StringComparison.OrdinalIgnoreCase) == true;

    public static void Validate(DashboardOptions options, List<string> failures)
    {
        if (!options.Enabled)
        {
            return;
        }
        if (string.IsNullOrWhiteSpace(options.PublicBaseUrl))
        {
            failures.Add("Relay__Dashboard__PublicBaseUrl is not set: the address moderators reach Relay at, e.g. "
                + "https://relay.example.org; sign-in links start with it (or set Relay__Dashboard__Enabled=false).");
        }
        else if (!Uri.TryCreate(options.PublicBaseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")
                 || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
        {
            failures.Add($"Relay__Dashboard__PublicBaseUrl must be an absolute http(s) URL without query or fragment; got '{options.PublicBaseUrl}'.");
        }
        if (options.SignInLinkMinutes is < 1 or > 60)
        {
            failures.Add("Relay__Dashboard__SignInLinkMinutes must be between 1 and 60 (default 10).");
        }
        if (options.SessionHours is < 1 or > 168)
        {
            failures.Add("Relay__Dashboard__SessionHours must be between 1 and 168 (default 12).");
        }
        if (options.SignInPerAddressPerMinute < 1)
        {
            failures.Add("Relay__Dashboard__SignInPerAddressPerMinute must be at least 1 (default 5).");
        }
        if (options.SignInPerUserPerHour < 1)
        {
            failures.Add("Relay__Dashboard__SignInPerUserPerHour must be at least 1 (default 5).");
        }
    }
}
