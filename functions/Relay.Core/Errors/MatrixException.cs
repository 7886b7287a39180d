namespace Relay.Core.Errors;

/// <summary>Carries a <see cref="MatrixError"/> across a port boundary (e.g. from the homeserver client).</summary>
public sealed class MatrixException : Exception
{
    public MatrixException(MatrixError error)
        : base($"{error.ErrCode} ({error.Status}): {error.Message}") => Error = error;

    public MatrixException(MatrixError error, Exception inner)
        : base($"{error.ErrCode} ({error.Status}): {error.Message}", inner) => Error = error;

    public MatrixError Error { get; }
}
