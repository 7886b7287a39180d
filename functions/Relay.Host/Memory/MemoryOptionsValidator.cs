using Microsoft.Extensions.Options;

namespace Relay.Host.Memory;

/// <summary>Fails start naming the setting and what to set it to, as the other validators do.</summary>
public sealed class MemoryOptionsValidator : IValidateOptions<MemoryOptions>
{
    public const int MaxSeconds = 3600;

    public ValidateOptionsResult Validate(string? name, MemoryOptions options) =>
        options.IdleTrimSeconds is >= 0 and <= MaxSeconds
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                $"Relay__Memory__IdleTrimSeconds must be between 0 and {MaxSeconds} (default 1): the idle seconds after a burst of " +
                $"work before Relay gives memory back, or 0 to never do it; got {options.IdleTrimSeconds}.");
}
