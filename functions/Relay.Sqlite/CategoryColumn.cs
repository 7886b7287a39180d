using Relay.Core.Reports;

namespace Relay.Sqlite;

/// <summary>Harm categories are stored by their stable <c>m.</c> identifier.</summary>
internal static class CategoryColumn
{
    public static string? From(HarmCategory? category) => category?.Id;

    /// <summary>
    /// An identifier later retired from the taxonomy reads as uncategorised: better a case without a
    /// category than a case nobody can open.
    /// </summary>
    public static HarmCategory? ToCategory(string? stored) =>
        HarmCategory.TryParse(stored, out var category) ? category : null;
}
