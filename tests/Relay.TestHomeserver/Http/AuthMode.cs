namespace Relay.TestHomeserver.Http;

internal enum AuthMode
{
    /// <summary>No token looked at.</summary>
    None,

    /// <summary>A token may be given; if it is, it must be valid.</summary>
    Optional,

    /// <summary>A user's access token or the appservice's as_token.</summary>
    User,

    /// <summary>Only the appservice's as_token.</summary>
    Appservice,
}
