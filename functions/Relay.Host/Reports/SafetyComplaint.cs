using System.Text;
using System.Text.Json;
using Relay.Core.Errors;
using Relay.Core.Identifiers;
using Relay.Core.Reports;
using Relay.Host.Http;

namespace Relay.Host.Reports;

/// <summary>
/// Body of the reporting-v2 endpoint (MSC4457): <c>type</c> "complaint", <c>regarding</c>, an MSC4456
/// <c>harm</c>, a <c>description</c> of at most 1024 bytes, and Relay's optional top-level <c>room_id</c>.
/// Error codes follow the MSC: missing or too long fields are M_BAD_JSON, unknown type or harm M_INVALID_PARAM.
/// </summary>
public sealed record SafetyComplaint(string Regarding, HarmCategory Harm, string? Description, RoomId? RoomId)
{
    public const int MaxDescriptionBytes = 1024;

    public static bool TryRead(JsonElement body, out SafetyComplaint? result, out MatrixError? error)
    {
        result = null;
        if (!JsonBody.TryGetRequiredString(body, "type", out var type, out error))
        {
            return false;
        }
        if (type != "complaint")
        {
            error = MatrixError.InvalidParam("Relay accepts reports of type 'complaint' only.");
            return false;
        }
        if (!JsonBody.TryGetRequiredString(body, "regarding", out var regarding, out error)
            || !JsonBody.TryGetRequiredString(body, "harm", out var harmId, out error))
        {
            return false;
        }
        if (!HarmCategory.TryParse(harmId, out var harm))
        {
            error = MatrixError.InvalidParam("'harm' is not an MSC4456 harm identifier Relay knows.");
            return false;
        }
        if (!TryReadDescription(body, harm, out var description, out error)
            || !TryReadRoom(body, out var room, out error))
        {
            return false;
        }
        result = new SafetyComplaint(regarding, harm, description, room);
        return true;
    }

    private static bool TryReadDescription(JsonElement body, HarmCategory harm, out string? description, out MatrixError? error)
    {
        if (!JsonBody.TryGetOptionalString(body, "description", out description, out error))
        {
            return false;
        }
        if (description is null)
        {
            if (harm.IsGeneral)
            {
                error = MatrixError.BadJson("'description' is required for a General/Other harm.");
                return false;
            }
            return true;
        }
        if (Encoding.UTF8.GetByteCount(description) > MaxDescriptionBytes)
        {
            error = MatrixError.BadJson($"'description' is longer than {MaxDescriptionBytes} bytes.");
            return false;
        }
        if (string.IsNullOrWhiteSpace(description))
        {
            error = MatrixError.BadJson("'description' must not be blank.");
            return false;
        }
        return true;
    }

    private static bool TryReadRoom(JsonElement body, out RoomId? room, out MatrixError? error)
    {
        room = null;
        if (!JsonBody.TryGetOptionalString(body, "room_id", out var raw, out error))
        {
            return false;
        }
        if (raw is null)
        {
            return true;
        }
        if (!Core.Identifiers.RoomId.TryParse(raw, out var parsed))
        {
            error = MatrixError.InvalidParam("'room_id' is not a valid room ID.");
            return false;
        }
        room = parsed;
        return true;
    }
}
