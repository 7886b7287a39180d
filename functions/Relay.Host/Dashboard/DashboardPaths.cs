namespace Relay.Host.Dashboard;

/// <summary>The dashboard's addresses, all under <c>/_relay/</c> (the cookies' path).</summary>
public static class DashboardPaths
{
    public const string Root = "/_relay/";
    public const string SignIn = "/_relay/sign-in";
    public const string Link = "/_relay/link/";
    public const string SignOut = "/_relay/sign-out";
    public const string Cases = "/_relay/cases";
    public const string Figures = "/_relay/figures";
    public const string Transparency = "/_relay/figures/transparency";
    public const string Style = "/_relay/dashboard.css";
    public const string Script = "/_relay/dashboard.js";
    public const string Icon = "/_relay/icon.svg";

    public static string Case(Relay.Core.Cases.CaseId id) => Cases + "/" + id.Value;

    public static string Act(Relay.Core.Cases.CaseId id) => Case(id) + "/act";
}
