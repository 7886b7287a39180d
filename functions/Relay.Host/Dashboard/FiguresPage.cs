namespace Relay.Host.Dashboard;

/// <summary>
/// The Figures page: a placeholder until the figures service (reports per day, cases by category, time to acknowledge
/// and close, escalations by tier) lands. Plug it in here; the navigation already links to <see cref="DashboardPaths.Figures"/>.
/// </summary>
public static class FiguresPage
{
    public static IResult Show((string User, string Csrf) signedIn) => DashboardLayout.Page("Figures", """
        <h1>Figures</h1>
        <p role="status">Figures are coming: reports per day, cases by category, time to acknowledge and to close, and
        escalations by tier will be shown here.</p>

        """, signedIn, DashboardPaths.Figures);
}
