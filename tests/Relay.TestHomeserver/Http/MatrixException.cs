using System.Text.Json.Nodes;

namespace Relay.TestHomeserver.Http;

/// <summary>A Matrix error answer. <see cref="IsViolation"/> marks a request that broke the spec (as opposed to one refused because of state).</summary>
internal sealed class MatrixException(int status, string errcode, string message, bool isViolation = false, JsonObject? extra = null)
    : Exception(message)
{
    public int Status { get; } = status;

    public string Errcode { get; } = errcode;

    public bool IsViolation { get; } = isViolation;

    public JsonObject ToBody()
    {
        var body = new JsonObject { ["errcode"] = Errcode, ["error"] = Message };
        if (extra is not null)
        {
            foreach (var (key, value) in extra)
            {
                body[key] = value?.DeepClone();
            }
        }

        return body;
    }

    public static MatrixException NotJson(string message) => new(400, "M_NOT_JSON", message, isViolation: true);

    public static MatrixException BadJson(string message) => new(400, "M_BAD_JSON", message, isViolation: true);

    public static MatrixException InvalidParam(string message) => new(400, "M_INVALID_PARAM", message, isViolation: true);

    public static MatrixException MissingToken(string message) => new(401, "M_MISSING_TOKEN", message, isViolation: true);

    public static MatrixException UnknownToken() =>
        new(401, "M_UNKNOWN_TOKEN", "Unrecognised access token.", extra: new JsonObject { ["soft_logout"] = false });

    public static MatrixException Forbidden(string message) => new(403, "M_FORBIDDEN", message);

    public static MatrixException NotFound(string message) => new(404, "M_NOT_FOUND", message);

    public static MatrixException UnrecognizedPath() => new(404, "M_UNRECOGNIZED", "Unrecognized request", isViolation: true);

    public static MatrixException MethodNotAllowed() => new(405, "M_UNRECOGNIZED", "Method not allowed on this path", isViolation: true);
}
