using System.Diagnostics;
using Relay.Core.Cases;

namespace Relay.Tests.Dashboard;

/// <summary>
/// The dashboard in a real browser: Debian's chromium driven by playwright-core (tests/browser, installed by ./test.sh)
/// signs in through the link the bot sent by DM, lists the cases, opens one and acknowledges it, and looks at the pages
/// at 390 px. Screenshots of each page land in docs/screenshots, which the docs show. Without chromium or the npm package this test fails, saying how to
/// get them: a skipped browser test would hide a broken dashboard.
/// </summary>
public sealed class DashboardBrowserTests
{
    private const string Chromium = "/usr/bin/chromium";

    [Fact]
    public async Task A_moderator_signs_in_by_DM_link_lists_opens_and_acknowledges_a_case_in_chromium()
    {
        var root = RepositoryRoot();
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: run ./test.sh (it installs Debian's chromium) or apt-get install -y chromium.");
        Assert.True(Directory.Exists(Path.Combine(root, "tests", "browser", "node_modules", "playwright-core")),
            "playwright-core is missing: run ./test.sh, or npm ci --prefix tests/browser.");
        await using var world = await DashboardWorld.CreateAsync();
        // A fresh folder proves this run took every screenshot; the docs' copies are only replaced once it has, and never
        // deleted, since the docs' link test may be reading them at the same time.
        var shots = Directory.CreateTempSubdirectory("relay-screenshots-").FullName;

        using var node = Process.Start(new ProcessStartInfo("node")
        {
            ArgumentList = { Path.Combine(root, "tests", "browser", "dashboard.spec.mjs"), world.Base, world.Mod, world.CaseA.Id.Value, shots },
            WorkingDirectory = root,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var errors = node.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var output = new List<string>();
        try
        {
            while (await node.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                output.Add(line);
                if (line == "ASKED")
                {
                    await node.StandardInput.WriteLineAsync(await LinkAsync(world, timeout.Token));
                    await node.StandardInput.FlushAsync(timeout.Token);
                }
            }
            await node.WaitForExitAsync(timeout.Token);
        }
        finally
        {
            if (!node.HasExited)
            {
                node.Kill(entireProcessTree: true);
            }
        }

        Assert.True(node.ExitCode == 0, $"The browser run failed (exit {node.ExitCode}):\n{string.Join('\n', output)}\n{await errors}");
        Assert.Contains("OK", output);
        var acknowledged = await world.CaseAsync(world.CaseA.Id);
        Assert.Equal(CaseState.Acknowledged, acknowledged!.State);
        Assert.Contains(await world.AuditAsync(world.CaseA.Id), a => a.Action == "action.ack" && a.Actor == world.Mod);
        foreach (var page in new[] { "sign-in", "check-messages", "confirm-link", "cases", "case", "acknowledged", "figures",
                     "cases-390px", "case-390px", "figures-390px", "signed-out" })
        {
            Assert.Single(Directory.GetFiles(shots, $"*-{page}.png"));
        }
        KeepForTheDocs(shots, Path.Combine(root, "docs", "screenshots"));
    }

    private static void KeepForTheDocs(string shots, string docs)
    {
        Directory.CreateDirectory(docs);
        foreach (var shot in Directory.GetFiles(shots, "*.png"))
        {
            File.Copy(shot, Path.Combine(docs, Path.GetFileName(shot)), overwrite: true);
        }
        Directory.Delete(shots, recursive: true);
    }

    /// <summary>The link the bot sent the moderator, pointed at this Relay (its public base is a placeholder in tests).</summary>
    private static async Task<string> LinkAsync(DashboardWorld world, CancellationToken cancellationToken)
    {
        while (true)
        {
            if ((await world.LinksSentToAsync(world.Mod)) is [.., var link])
            {
                world.Relay.Secrets.Add("sign-in link token", link[(link.LastIndexOf('/') + 1)..]);
                return world.Base + link[DashboardWorld.PublicBaseUrl.Length..];
            }
            await Task.Delay(25, cancellationToken);
        }
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Relay.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException("Relay.sln not found above " + AppContext.BaseDirectory);
    }
}
