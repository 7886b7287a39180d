using Relay.Core.Errors;
using Relay.Core.Homeserver;
using Relay.Core.Identifiers;

namespace Relay.Core.Tests.Fakes;

/// <summary>Answers whoami from a token table and counts the calls; an unknown token is M_UNKNOWN_TOKEN.</summary>
public sealed class FakeHomeserver : IHomeserver
{
    private readonly Dictionary<string, TokenOwner> _tokens = new(StringComparer.Ordinal);
    private readonly List<string> _whoAmICalls = [];

    public IReadOnlyList<string> WhoAmICalls => _whoAmICalls;

    /// <summary>When set, the next whoami throws it instead of answering.</summary>
    public MatrixException? FailNextWhoAmI { get; set; }

    public FakeHomeserver WithToken(string token, string userId)
    {
        _tokens[token] = new TokenOwner(UserId.Parse(userId), IsGuest: false);
        return this;
    }

    public Task<TokenOwner> WhoAmIAsync(string accessToken, CancellationToken cancellationToken = default)
    {
        _whoAmICalls.Add(accessToken);
        if (FailNextWhoAmI is { } failure)
        {
            FailNextWhoAmI = null;
            throw failure;
        }
        return _tokens.TryGetValue(accessToken, out var owner)
            ? Task.FromResult(owner)
            : throw new MatrixException(MatrixError.UnknownToken());
    }

    public Task<EventFacts> GetEventAsync(string accessToken, RoomId room, EventId eventId, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("Not used by these tests.");

    public Task<RoomId> ResolveRoomAliasAsync(string accessToken, RoomAlias alias, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("Not used by these tests.");

    public Task<UserId?> FindInviterAsync(string accessToken, UserId invitee, RoomId room, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("Not used by these tests.");

    public Task ForwardEventReportAsync(string accessToken, RoomId room, EventId eventId, string? reason, long? score,
        CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("Not used by these tests.");
}
