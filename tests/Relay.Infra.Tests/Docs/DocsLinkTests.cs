using System.Text.RegularExpressions;

namespace Relay.Infra.Tests.Docs;

/// <summary>
/// The README and docs/ are what a user's clone has: every relative link must lead to a file (and heading) in it,
/// and nothing may point outside the repository.
/// </summary>
public sealed partial class DocsLinkTests
{
    public static TheoryData<string> Files => [.. Markdown.Files()];

    [Fact]
    public void Readme_is_at_most_15_KB() =>
        Assert.True(new FileInfo(Repository.PathOf("README.md")).Length <= 15 * 1024,
            $"README.md is {new FileInfo(Repository.PathOf("README.md")).Length} bytes; move depth to docs/.");

    [Fact]
    public void Docs_hold_the_files_the_readme_promises()
    {
        string[] promised = ["design", "configuration", "moderators", "operations", "azure", "benchmarks", "reliability"];

        Assert.All(promised, name => Assert.True(File.Exists(Repository.PathOf("docs", name + ".md")), $"docs/{name}.md is missing."));
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Every_relative_link_resolves_to_a_file_and_heading_in_the_repository(string file)
    {
        var broken = new List<string>();
        var directory = Path.GetDirectoryName(Repository.PathOf(file))!;
        foreach (var (line, target) in Markdown.Links(Repository.Text(file)))
        {
            if (IsExternal(target))
            {
                continue;
            }
            var hash = target.IndexOf('#', StringComparison.Ordinal);
            var path = hash < 0 ? target : target[..hash];
            var anchor = hash < 0 ? null : target[(hash + 1)..];
            var resolved = path.Length == 0 ? Repository.PathOf(file) : Path.GetFullPath(Path.Combine(directory, Uri.UnescapeDataString(path)));
            if (!resolved.StartsWith(Repository.Root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                broken.Add($"{file}:{line}: {target} leaves the repository");
            }
            else if (!File.Exists(resolved) && !Directory.Exists(resolved))
            {
                broken.Add($"{file}:{line}: {target} does not exist");
            }
            else if (anchor is not null && resolved.EndsWith(".md", StringComparison.Ordinal)
                     && !Markdown.Anchors(File.ReadAllText(resolved)).Contains(anchor))
            {
                broken.Add($"{file}:{line}: {target} names no heading of {Path.GetFileName(resolved)}");
            }
        }

        Assert.True(broken.Count == 0, string.Join('\n', broken));
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Nothing_refers_to_what_a_clone_does_not_have(string file)
    {
        var text = Repository.Text(file);
        var found = OutsideReference().Matches(text).Select(m => m.Value).ToList();

        Assert.True(found.Count == 0, $"{file} refers to {string.Join(", ", found)}, which a user's clone does not have.");
    }

    [Fact]
    public void Anchors_follow_githubs_rules()
    {
        var anchors = Markdown.Anchors(
            "## Getting `relay`\n```\n# not a heading\n```\n### On SQLite, what is answered is fsync'd; what the queue can redo is not\n# A\n## A\n");

        Assert.Equal(
            ["a", "a-1", "getting-relay", "on-sqlite-what-is-answered-is-fsyncd-what-the-queue-can-redo-is-not"],
            anchors.Order(StringComparer.Ordinal));
    }

    private static bool IsExternal(string target) =>
        target.StartsWith("http://", StringComparison.Ordinal) || target.StartsWith("https://", StringComparison.Ordinal)
        || target.StartsWith("mailto:", StringComparison.Ordinal);

    // The team's shared folder beside the repository, and the tracker's issue numbers, exist only on the developers' machines.
    [GeneratedRegex(@"\.\./shared|\bissues? #?\d+\b", RegexOptions.IgnoreCase)]
    private static partial Regex OutsideReference();
}
