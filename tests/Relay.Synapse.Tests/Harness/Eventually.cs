namespace Relay.Synapse.Tests.Harness;

/// <summary>
/// Polls until something a homeserver or Relay does asynchronously has happened (a transaction pushed, a queued job
/// done), bounded; a timeout names what never happened. Never used to assert that something did not happen.
/// </summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(45);

    public static async Task<T> GetAsync<T>(string what, Func<Task<T?>> probe, TimeSpan? timeout = null)
        where T : class
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        while (true)
        {
            if (await probe() is { } found)
            {
                return found;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Waited {(timeout ?? DefaultTimeout).TotalSeconds:0} s for {what}.");
            }
            await Task.Delay(250);
        }
    }

    public static Task TrueAsync(string what, Func<Task<bool>> probe, TimeSpan? timeout = null) =>
        GetAsync(what, async () => await probe() ? "yes" : null, timeout);
}
