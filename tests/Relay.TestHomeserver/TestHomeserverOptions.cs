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

    /// <summary>How long the homeserver waits for the appservice to answer a ping.</summary>
    public TimeSpan PingTimeout { get; init; } = TimeSpan.FromSeconds(5);

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>
    /// Answer <c>GET /rooms/{r}/state/{t}/{k}?format=event</c> without <c>event_id</c>, as Synapse did before 1.135.
    /// </summary>
    public bool StateEventWithoutEventId { get; init; }
}
