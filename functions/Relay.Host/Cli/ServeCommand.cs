using Microsoft.Extensions.Options;
using Relay.Host.Composition;

namespace Relay.Host.Cli;

public static class ServeCommand
{
    /// <summary>Exit code 2 with the operator-facing messages when configuration is invalid.</summary>
    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        WebApplication app;
        try
        {
            app = RelayApp.Build(args);
            await app.InitializeRelayAsync(cancellationToken);
        }
        catch (OptionsValidationException e)
        {
            await Console.Error.WriteLineAsync("Relay cannot start; fix its configuration:");
            foreach (var failure in e.Failures)
            {
                await Console.Error.WriteLineAsync("  - " + failure);
            }
            return 2;
        }
        catch (InvalidOperationException e)
        {
            await Console.Error.WriteLineAsync("Relay cannot start: " + e.Message);
            return 2;
        }
        await using (app)
        {
            await app.RunAsync();
        }
        return 0;
    }
}
