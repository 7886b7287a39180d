using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;

namespace Relay.Host.Http;

/// <summary>
/// What reading an HTML form gave: the fields, or the status and reason it could not be read (413, 415, 400), so every form
/// endpoint answers a bad body with a page instead of letting <c>ReadFormAsync</c> throw into a 500.
/// </summary>
public sealed record FormRead(IFormCollection? Form, int Status, string? Problem)
{
    public bool IsRead => Form is not null;
}

public static class FormBody
{
    public const string UrlEncoded = "application/x-www-form-urlencoded";

    /// <summary>Reads an <c>application/x-www-form-urlencoded</c> body of at most <paramref name="maxBytes"/>.</summary>
    public static async Task<FormRead> ReadAsync(HttpContext context, long maxBytes, CancellationToken cancellationToken)
    {
        var request = context.Request;
        if (request.ContentLength > maxBytes)
        {
            return TooLarge(maxBytes);
        }
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
            || !type.MediaType.Equals(UrlEncoded, StringComparison.OrdinalIgnoreCase))
        {
            return new FormRead(null, StatusCodes.Status415UnsupportedMediaType,
                "The form must be sent as application/x-www-form-urlencoded, as browsers do.");
        }
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = maxBytes; // a body without Content-Length is cut off here too
        }
        try
        {
            return new FormRead(await request.ReadFormAsync(cancellationToken), StatusCodes.Status200OK, null);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TooLarge(maxBytes);
        }
        catch (Exception e) when (e is BadHttpRequestException or InvalidDataException)
        {
            return new FormRead(null, StatusCodes.Status400BadRequest, "The form could not be read. Please try again.");
        }
    }

    private static FormRead TooLarge(long maxBytes) => new(null, StatusCodes.Status413PayloadTooLarge,
        $"The form was larger than {maxBytes / 1024} KiB, so it was not read.");
}
