using System.Text;
using Relay.Core.Identifiers;
using Relay.Core.Reports;
using Relay.Host.Appservice;
using Relay.Host.Reports;
using EventId = Relay.Core.Identifiers.EventId;

namespace Relay.Host.WebForm;

/// <summary>
/// The web form's fields as the user typed them (echoed back, escaped, when something is wrong) and, once
/// <see cref="Validate"/> passed, what they mean. Validation follows the other report paths: IDs by the spec
/// grammar, a known MSC4456 harm, a description of at most 1024 bytes (required for a General/Other harm).
/// </summary>
public sealed class WebFormInput
{
    public const string LinkField = "link";
    public const string HarmField = "harm";
    public const string DescriptionField = "description";
    public const string ContactField = "contact";

    /// <summary>Hidden from people by the page's style; a bot that fills it is thanked and ignored.</summary>
    public const string HoneypotField = "website";

    public const int MaxDescriptionBytes = SafetyComplaint.MaxDescriptionBytes;
    public const int MaxContactChars = 254;
    private const int MaxLinkChars = 2048;

    public static readonly WebFormInput Empty = new("", "", "", "", "");

    private readonly Dictionary<string, string> _errors = new(StringComparer.Ordinal);

    private WebFormInput(string link, string harm, string description, string contact, string honeypot)
    {
        Link = link;
        Harm = harm;
        Description = description;
        Contact = contact;
        Honeypot = honeypot;
    }

    public string Link { get; }

    public string Harm { get; }

    public string Description { get; }

    public string Contact { get; }

    public string Honeypot { get; }

    public IReadOnlyDictionary<string, string> Errors => _errors;

    /// <summary>The room part of the link: a room ID or an alias, checked against the grammar.</summary>
    public RoomId? RoomId { get; private set; }

    public RoomAlias? RoomAlias { get; private set; }

    public EventId? EventId { get; private set; }

    public HarmCategory? HarmCategory { get; private set; }

    public string? ContactEmail => Contact.Length == 0 ? null : Contact;

    public string? Reason => Description.Length == 0 ? null : Description;

    public bool IsHoneypotFilled => Honeypot.Length > 0;

    public static WebFormInput From(IFormCollection form) => new(
        Field(form, LinkField).Trim(),
        Field(form, HarmField).Trim(),
        // Browsers send a textarea's line breaks as CRLF; count and keep them as one byte each.
        Field(form, DescriptionField).Replace("\r\n", "\n", StringComparison.Ordinal).Trim(),
        Field(form, ContactField).Trim(),
        Field(form, HoneypotField).Trim());

    /// <summary>Sets an error against a field (shown beside it); the first one per field wins.</summary>
    public void AddError(string field, string message) => _errors.TryAdd(field, message);

    public bool Validate()
    {
        ValidateLink();
        ValidateHarm();
        ValidateDescription();
        ValidateContact();
        return _errors.Count == 0;
    }

    private void ValidateLink()
    {
        if (Link.Length == 0)
        {
            AddError(LinkField, "Enter the link to the message or room you are reporting.");
            return;
        }
        if (Link.Length > MaxLinkChars || !MatrixToLink.TryParseReference(Link, out var room, out var eventId))
        {
            AddError(LinkField, "This is not a Matrix message or room link. It should look like "
                + "https://matrix.to/#/!room:example.org/$event or #room:example.org.");
            return;
        }
        if (Core.Identifiers.RoomId.TryParse(room, out var roomId))
        {
            RoomId = roomId;
        }
        else if (Core.Identifiers.RoomAlias.TryParse(room, out var alias))
        {
            RoomAlias = alias;
        }
        else
        {
            AddError(LinkField, "The room in this link is not a valid Matrix room ID or address.");
            return;
        }
        EventId = eventId;
    }

    private void ValidateHarm()
    {
        if (Harm.Length == 0)
        {
            AddError(HarmField, "Choose the kind of harm.");
        }
        else if (Core.Reports.HarmCategory.TryParse(Harm, out var harm))
        {
            HarmCategory = harm;
        }
        else
        {
            AddError(HarmField, "Choose one of the listed kinds of harm.");
        }
    }

    private void ValidateDescription()
    {
        var bytes = Encoding.UTF8.GetByteCount(Description);
        if (bytes > MaxDescriptionBytes)
        {
            AddError(DescriptionField,
                $"The description is {bytes} bytes long; the limit is {MaxDescriptionBytes} bytes. Please shorten it.");
        }
        else if (Description.Length == 0 && HarmCategory is { IsGeneral: true })
        {
            AddError(DescriptionField, "Describe the problem: a description is needed for a General/Other harm.");
        }
    }

    /// <summary>Loosely, on purpose: one @ with something on each side, no spaces, at most 254 characters.</summary>
    private void ValidateContact()
    {
        if (Contact.Length == 0)
        {
            return;
        }
        var at = Contact.IndexOf('@', StringComparison.Ordinal);
        if (Contact.Length > MaxContactChars || at <= 0 || at == Contact.Length - 1
            || Contact.IndexOf('@', at + 1) >= 0 || Contact.Any(char.IsWhiteSpace) || Contact.Any(char.IsControl))
        {
            AddError(ContactField, "Enter an e-mail address like name@example.org, or leave this empty.");
        }
    }

    /// <summary>A field sent twice reads as empty, so a crafted body cannot smuggle a second value past the checks.</summary>
    private static string Field(IFormCollection form, string name) =>
        form.TryGetValue(name, out var values) && values.Count == 1 ? values[0] ?? "" : "";
}
