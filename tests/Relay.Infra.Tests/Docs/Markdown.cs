using System.Text;
using System.Text.RegularExpressions;

namespace Relay.Infra.Tests.Docs;

/// <summary>
/// Just enough Markdown for checking the docs: links outside code, and headings as GitHub turns them into anchors.
/// </summary>
internal static partial class Markdown
{
    /// <summary>README.md and every Markdown file under docs/, as paths relative to the repository root.</summary>
    public static IReadOnlyList<string> Files() =>
    [
        "README.md",
        .. Directory.GetFiles(Repository.PathOf("docs"), "*.md", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Repository.Root, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal),
    ];

    /// <summary>The text with fenced code blocks blanked out (line numbers kept), so examples are not read as links.</summary>
    public static IReadOnlyList<string> ProseLines(string text)
    {
        var lines = text.Split('\n');
        var inFence = false;
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                inFence = !inFence;
                lines[i] = "";
            }
            else if (inFence)
            {
                lines[i] = "";
            }
        }
        return lines;
    }

    /// <summary>Link targets of <c>[text](target)</c> and images, outside code blocks and code spans.</summary>
    public static IEnumerable<(int Line, string Target)> Links(string text)
    {
        var lines = ProseLines(text);
        for (var i = 0; i < lines.Count; i++)
        {
            var prose = CodeSpan().Replace(lines[i], "");
            foreach (Match m in Link().Matches(prose))
            {
                yield return (i + 1, m.Groups["target"].Value);
            }
        }
    }

    /// <summary>The anchors GitHub gives the file's headings (lowercase, punctuation dropped, spaces to hyphens, -1 for repeats).</summary>
    public static IReadOnlySet<string> Anchors(string text)
    {
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in ProseLines(text))
        {
            var heading = Heading().Match(line);
            if (!heading.Success)
            {
                continue;
            }
            var slug = Slug(heading.Groups["text"].Value);
            var unique = slug;
            for (var n = 1; !anchors.Add(unique); n++)
            {
                unique = $"{slug}-{n}";
            }
        }
        return anchors;
    }

    public static string Slug(string heading)
    {
        var rendered = Link().Replace(heading, m => m.Groups["text"].Value).Replace("`", "", StringComparison.Ordinal).Trim();
        var slug = new StringBuilder();
        foreach (var c in rendered.ToLowerInvariant())
        {
            if (char.IsLetterOrDigit(c) || c is '-' or '_')
            {
                slug.Append(c);
            }
            else if (c == ' ')
            {
                slug.Append('-');
            }
        }
        return slug.ToString();
    }

    [GeneratedRegex(@"!?\[(?<text>[^\]]*)\]\((?<target>[^)\s]+)(\s+""[^""]*"")?\)")]
    private static partial Regex Link();

    [GeneratedRegex(@"`[^`]*`")]
    private static partial Regex CodeSpan();

    [GeneratedRegex(@"^#{1,6}\s+(?<text>.+?)\s*#*\s*$")]
    private static partial Regex Heading();
}
