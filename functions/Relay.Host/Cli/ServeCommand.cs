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
            app.ValidateRelayOptions();
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
            // The store is prepared on another thread while Kestrel and the workers start; what needs it waits
            // (StoreReadiness). Overlapping the two takes the migration off the path to the first response.
            var store = Task.Run(() => app.PrepareStoreAsync(cancellationToken), cancellationToken);
            await app.StartAsync(cancellationToken);
            try
            {
                await store;
            }
            catch (InvalidOperationException e)
            {
                await Console.Error.WriteLineAsync("Relay cannot start: " + e.Message);
                await app.StopAsync(CancellationToken.None);
                return 2;
            }
            await app.WaitForShutdownAsync(cancellationToken);
        }
        return 0;
    }
}
