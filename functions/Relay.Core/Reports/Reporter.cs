using Relay.Core.Identifiers;

namespace Relay.Core.Reports;

/// <summary>
/// Who filed a report, as far as Relay knows. <see cref="HashKey"/> is what the keyed hash (distinct-reporter
/// counting, rate limits, idempotency) is taken of: the Matrix user ID for a signed-in reporter; for the web
/// form, the contact e-mail when one is given (the same person twice counts once) and else the client address.
/// <see cref="UserId"/> is null for unauthenticated (web form) reporters.
/// </summary>
public sealed record Reporter
{
    private Reporter(string hashKey, UserId? userId, string? contactEmail)
    {
        HashKey = hashKey;
        UserId = userId;
        ContactEmail = contactEmail;
    }

    public string HashKey { get; }

    public UserId? UserId { get; }

    /// <summary>Kept with a web report so a later follow-up can reach the reporter; never logged.</summary>
    public string? ContactEmail { get; }

    public bool IsAuthenticated => UserId is not null;

    /// <summary>The hash key is the bare user ID, so hashes stored before web reports existed still match.</summary>
    public static Reporter Matrix(UserId user) => new(user.Value, user, null);

    /// <summary>
    /// An unauthenticated reporter. The prefixes keep these keys apart from user IDs (which start with '@')
    /// and from each other; an e-mail is compared case-insensitively.
    /// </summary>
    public static Reporter WebForm(string clientAddress, string? contactEmail)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(clientAddress);
        var email = string.IsNullOrWhiteSpace(contactEmail) ? null : contactEmail.Trim();
        var key = email is null ? $"webform-address:{clientAddress}" : $"webform-email:{email.ToLowerInvariant()}";
        return new Reporter(key, null, email);
    }

    /// <summary>Never prints the user ID or the e-mail, so a reporter logged by mistake stays anonymous.</summary>
    public override string ToString() => IsAuthenticated ? "Reporter { Matrix }" : "Reporter { WebForm }";
}
