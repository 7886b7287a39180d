using System.Text.RegularExpressions;

namespace Relay.TestHomeserver.Auth;

/// <summary>The one registered appservice: its tokens, bot user and exclusive namespaces.</summary>
internal sealed class AppserviceRegistration(
    string id,
    string asToken,
    string hsToken,
    string senderUserId,
    string userNamespace,
    string aliasNamespace)
{
    private readonly Regex _users = new($"^(?:{userNamespace})$", RegexOptions.CultureInvariant);
    private readonly Regex _aliases = new($"^(?:{aliasNamespace})$", RegexOptions.CultureInvariant);

    public string Id { get; } = id;

    public string AsToken { get; } = asToken;

    public string HsToken { get; } = hsToken;

    public string SenderUserId { get; } = senderUserId;

    public bool OwnsUser(string userId) => userId == SenderUserId || _users.IsMatch(userId);

    public bool OwnsAlias(string alias) => _aliases.IsMatch(alias);
}
