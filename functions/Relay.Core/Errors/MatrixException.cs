namespace Relay.Core.Errors;

/// <summary>Carries a <see cref="MatrixError"/> across a port boundary (e.g. from the homeserver client).</summary>
public sealed class MatrixException : Exception
{
    public MatrixException(MatrixError error)
        : base($"{error.ErrCode} ({error.Status}): {error.Message}") => Error = error;

    public MatrixException(MatrixError error, Exception inner)
        : base($"{error.ErrCode} ({error.Status}): {error.Message}", inner) => Error = error;

    public MatrixError Error { get; }

    /// <summary>
    /// The homeserver request that failed, e.g. <c>GET /_matrix/client/v3/rooms/!r:example.org/state/m.room.create/</c>,
    /// with user IDs in the path shown as <c>{user}</c>: safe to log. Null when the failure was not one request's.
    /// </summary>
    public string? Step { get; init; }

    /// <summary>
    /// What an operator needs from a failed queue delivery, safe for the log: a homeserver failure's errcode, status and
    /// step, else the exception's type. Never the messages, which may quote report data or user IDs.
    /// </summary>
    public static string Describe(Exception e) => e switch
    {
        MatrixException { Step: { } step } m => $"{m.Error.ErrCode} ({m.Error.Status}) at {step}",
        MatrixException m => $"{m.Error.ErrCode} ({m.Error.Status})",
        _ => e.GetType().FullName ?? e.GetType().Name,
    };
}
