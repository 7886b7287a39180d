using System.Text.Json.Nodes;

namespace Relay.Infra.Tests;

internal static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    public static string Text(params string[] parts) => File.ReadAllText(PathOf(parts));

    public static JsonNode Json(params string[] parts) =>
        JsonNode.Parse(Text(parts), documentOptions: new System.Text.Json.JsonDocumentOptions { CommentHandling = System.Text.Json.JsonCommentHandling.Skip })
        ?? throw new InvalidDataException($"{Path.Combine(parts)} is JSON null.");

    /// <summary>Folders under functions/ that hold a function.json: the Azure functions.</summary>
    public static IReadOnlyList<string> FunctionNames() =>
        Directory.GetDirectories(PathOf("functions"))
            .Where(d => File.Exists(Path.Combine(d, "function.json")))
            .Select(Path.GetFileName)
            .OfType<string>()
            .Order(StringComparer.Ordinal)
            .ToList();

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Relay.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException($"No Relay.sln above {AppContext.BaseDirectory}.");
    }
}
