namespace Relay.TestHomeserver.Auth;

/// <summary>Who a request acts as. <see cref="TokenScope"/> scopes transaction ids (one per access token, per masqueraded user for the appservice).</summary>
internal sealed record Caller(string UserId, string? DeviceId, bool IsAppservice, string TokenScope);
