namespace Relay.TestHomeserver;

/// <summary>Settings for <see cref="TestHomeserver.StartAsync"/>; every value has a test-friendly default.</summary>
public sealed record TestHomeserverOptions
{
    public string ServerName { get; init; } = "hs.test";

    /// <summary>Loopback port; 0 picks a free one (tests). The standalone dev homeserver uses a fixed one.</summary>
    public int Port { get; init; }

    /// <summary>The appservice's as_token; random when null.</summary>
    public string? AsToken { get; init; }

    /// <summary>The homeserver's hs_token for pushing to the appservice; random when null.</summary>
    public string? HsToken { get; init; }

    public string SenderLocalpart { get; init; } = "relay";

    public string AppserviceId { get; init; } = "relay";

    /// <summary>Exclusive user namespace regex (whole-id match); defaults to <c>@{SenderLocalpart}.*:{ServerName}</c>.</summary>
    public string? UserNamespaceRegex { get; init; }

    /// <summary>Exclusive alias namespace regex (whole-alias match); defaults to <c>#{SenderLocalpart}-.*:{ServerName}</c>.</summary>
    public string? AliasNamespaceRegex { get; init; }

    public Uri? AppserviceUrl { get; init; }

    /// <summary>
    /// Push every event the appservice is interested in (sent by or about a user in its namespace, or in a room one of
    /// them has joined) to <see cref="AppserviceUrl"/> in transactions, as a homeserver does, retrying until it answers
    /// 200. Off for tests, which push what they mean to with <see cref="TestHomeserver.PushTransactionAsync"/>.
    /// </summary>
    public bool PushTransactions { get; init; }

    /// <summary>
    /// False answers <c>GET /rooms/{r}/state/{type}/{key}?format=event</c> without <c>event_id</c>, as Synapse did
    /// before 1.135.0; the full state (<c>GET /rooms/{r}/state</c>) keeps it, as there.
    /// </summary>
    public bool StateEventHasEventId { get; init; } = true;

    /// <summary>How long the homeserver waits for the appservice to answer a ping.</summary>
    public TimeSpan PingTimeout { get; init; } = TimeSpan.FromSeconds(5);

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
