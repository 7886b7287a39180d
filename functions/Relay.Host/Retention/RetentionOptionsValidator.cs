using Microsoft.Extensions.Options;

namespace Relay.Host.Retention;

/// <summary>Fails start naming the setting and what to set it to, as the other validators do.</summary>
public sealed class RetentionOptionsValidator : IValidateOptions<RetentionOptions>
{
    public const int MaxDays = 3650;

    public ValidateOptionsResult Validate(string? name, RetentionOptions options) =>
        options.ClosedCaseDays is >= 1 and <= MaxDays
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                $"Relay__Retention__ClosedCaseDays must be between 1 and {MaxDays} (default 90): the days a resolved or dismissed " +
                $"case, its reports and its audit trail are kept after closing; got {options.ClosedCaseDays}.");
}
