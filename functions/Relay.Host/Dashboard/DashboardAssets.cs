namespace Relay.Host.Dashboard;

/// <summary>
/// The dashboard's stylesheet and its one script, served by Relay (the policy allows no inline style or script). The
/// script only refreshes the case list every 30 s while the tab is visible and nobody is typing in it; without
/// JavaScript, everything else works the same.
/// </summary>
public static class DashboardAssets
{
    public static IResult Style() => Asset(Css, "text/css; charset=utf-8");

    public static IResult Script() => Asset(Js, "text/javascript; charset=utf-8");

    /// <summary>An icon of its own, so browsers do not ask the site root for /favicon.ico.</summary>
    public static IResult Icon() => Asset(Svg, "image/svg+xml");

    private static IResult Asset(string text, string contentType) =>
        TypedResults.Text(text, contentType, statusCode: StatusCodes.Status200OK);

    /// <summary>Colours pass WCAG AA contrast on white (text 16:1, links 7:1, muted 9:1); focus is always visible.</summary>
    private const string Css = """
        :root { color-scheme: light; }
        body { margin: 0; background: #ffffff; color: #1a1a1a; font: 1rem/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
        header { display: flex; flex-wrap: wrap; gap: 1rem; align-items: center; padding: 0.5rem 1rem; border-bottom: 2px solid #4a4a4a; }
        .brand { font-weight: 700; margin: 0; }
        nav ul { display: flex; gap: 1rem; list-style: none; margin: 0; padding: 0; }
        nav a[aria-current=page] { font-weight: 700; text-decoration-thickness: 3px; }
        .signout { margin-left: auto; display: flex; gap: 0.5rem; align-items: center; }
        main { max-width: 72rem; margin: 0 auto; padding: 1rem 1rem 3rem; }
        a { color: #0b4fb3; }
        h1 { font-size: 1.6rem; line-height: 1.2; }
        label { display: block; font-weight: 600; }
        input[type=text], select, textarea { box-sizing: border-box; margin-top: 0.25rem; padding: 0.4rem; border: 2px solid #4a4a4a;
            border-radius: 4px; background: #ffffff; color: #1a1a1a; font: inherit; }
        input[type=text] { width: 100%; max-width: 28rem; }
        input[type=date] { margin-top: 0.25rem; padding: 0.35rem; border: 2px solid #4a4a4a; border-radius: 4px; background: #ffffff;
            color: #1a1a1a; font: inherit; }
        button { padding: 0.45rem 1.1rem; border: 2px solid #0b4fb3; border-radius: 4px; background: #0b4fb3; color: #ffffff;
            font: inherit; font-weight: 600; cursor: pointer; }
        button.secondary { background: #ffffff; color: #0b4fb3; }
        :focus-visible, :focus { outline: 3px solid #e8a400; outline-offset: 2px; }
        .skip { position: absolute; left: -10000px; }
        .skip:focus { position: static; }
        .filters { display: flex; flex-wrap: wrap; gap: 1rem; align-items: flex-end; margin: 1rem 0; }
        .filters .check label { display: inline; }
        table { border-collapse: collapse; width: 100%; }
        caption { text-align: left; font-weight: 600; padding: 0.5rem 0; }
        th, td { text-align: left; padding: 0.4rem 0.5rem; border-bottom: 1px solid #6b6b6b; vertical-align: top; }
        .muted { color: #3d3d3d; }
        .overdue { color: #a4001d; font-weight: 700; }
        .status { border: 3px solid #0b4fb3; padding: 0.5rem 1rem; }
        .problem { border: 3px solid #a4001d; padding: 0.5rem 1rem; }
        .actions { display: grid; grid-template-columns: repeat(auto-fill, minmax(15rem, 1fr)); gap: 1rem; align-items: end; }
        .actions form { margin: 0; }
        dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1rem; }
        dt { font-weight: 600; }
        dd { margin: 0; overflow-wrap: anywhere; }
        code { overflow-wrap: anywhere; }
        .pager { display: flex; gap: 1rem; margin: 1rem 0; }
        section { margin: 2rem 0; }
        .chart { display: block; width: 100%; height: auto; margin: 0.5rem 0; }
        .chart .bar { fill: #0b4fb3; }
        .chart .axis { stroke: #4a4a4a; }
        .chart text { fill: #1a1a1a; font-size: 13px; }
        tr.late th, tr.late td { background: #fff4f4; }
        .room { text-decoration: underline dotted; cursor: help; }
        .actions textarea { width: 100%; }
        details { margin: 0.5rem 0 1rem; }
        @media (max-width: 40rem) {
            header { padding: 0.5rem; gap: 0.5rem; }
            .signout { margin-left: 0; flex-wrap: wrap; }
            main { padding: 0.75rem 0.75rem 2rem; }
            h1 { font-size: 1.35rem; }
            table.cards thead { position: absolute; left: -10000px; }
            table.cards caption { display: block; }
            table.cards, table.cards tbody, table.cards tr, table.cards th, table.cards td { display: block; width: auto; }
            table.cards tr { border-bottom: 2px solid #4a4a4a; padding: 0.5rem 0; }
            table.cards th, table.cards td { border: none; padding: 0.15rem 0; }
            table.cards td[data-label]::before { content: attr(data-label) ": "; font-weight: 600; }
            dl { grid-template-columns: 1fr; gap: 0; }
            dd { margin-bottom: 0.5rem; }
            .actions { grid-template-columns: 1fr; }
            .actions button { width: 100%; }
            .filters > div { flex: 1 1 100%; }
            select, input[type=date] { width: 100%; box-sizing: border-box; }
            table:not(.cards) { display: block; overflow-x: auto; }
        }
        summary { cursor: pointer; color: #0b4fb3; text-decoration: underline; }
        """;

    private const string Svg = """
        <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#0b4fb3"/><path d="M5 3v10M5 3h7l-2 3 2 3H5" stroke="#fff" stroke-width="1.5" fill="none"/></svg>
        """;

    private const string Js = """
        "use strict";
        (function () {
          var main = document.querySelector("main[data-refresh]");
          if (!main || !window.fetch || !window.DOMParser) { return; }
          var seconds = parseInt(main.getAttribute("data-refresh"), 10) || 30;
          function busy() {
            var a = document.activeElement;
            return document.visibilityState !== "visible" || (a && /^(INPUT|SELECT|TEXTAREA|BUTTON)$/.test(a.tagName));
          }
          function refresh() {
            if (busy()) { return; }
            fetch(location.href, { credentials: "same-origin", redirect: "manual", headers: { "Accept": "text/html" } })
              .then(function (r) { return r.ok ? r.text() : null; })
              .then(function (text) {
                if (!text) { return; }
                var fresh = new DOMParser().parseFromString(text, "text/html").querySelector("main[data-refresh]");
                if (fresh && !busy()) { main.replaceChildren.apply(main, Array.from(fresh.childNodes)); }
              })
              .catch(function () { });
          }
          setInterval(refresh, seconds * 1000);
        })();
        """;
}
