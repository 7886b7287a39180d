using System.Diagnostics;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Relay.Benchmarks.Load;

/// <summary>
/// A real Synapse on loopback for the figures measured against one (<c>start-synapse DIR PORT</c> from the test
/// environment: <c>RELAY_START_SYNAPSE</c>, or <c>../shared/synapse/start-synapse</c> beside the repository). Started in
/// a fresh directory, stopped and deleted on dispose.
/// </summary>
public sealed class Synapse : IAsyncDisposable
{
    private static readonly TimeSpan ScriptLimit = TimeSpan.FromMinutes(5);

    private readonly string _script;
    private readonly Dictionary<string, string> _env;
    private readonly string _directory;
    private int _rateLimited;

    private Synapse(string script, string directory, Dictionary<string, string> env, string serverName)
    {
        _script = script;
        _directory = directory;
        _env = env;
        ServerName = serverName;
        Url = new Uri(env["HS_URL"].TrimEnd('/') + "/");
        Client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(60) };
    }

    public Uri Url { get; }

    public string ServerName { get; }

    /// <summary>A client for setup requests (each sets its own token).</summary>
    public HttpClient Client { get; }

    /// <summary>The script, or null with why it is not there.</summary>
    public static string? FindScript(out string why)
    {
        var configured = Environment.GetEnvironmentVariable("RELAY_START_SYNAPSE");
        var path = configured ?? Path.GetFullPath(Path.Combine(Published.RepositoryRoot(), "..", "shared", "synapse", "start-synapse"));
        why = File.Exists(path) ? "" : $"no start-synapse at {path} (set RELAY_START_SYNAPSE)";
        return File.Exists(path) ? path : null;
    }

    public static async Task<Synapse> StartAsync(string script, int port)
    {
        var directory = Directory.CreateTempSubdirectory("relay-synapse-").FullName;
        try
        {
            await RunScriptAsync(script, directory, port.ToString(System.Globalization.CultureInfo.InvariantCulture));
            // Lines of `export A=x B='y'`; no value has a space.
            var env = File.ReadLines(Path.Combine(directory, "env.sh"))
                .Where(l => l.StartsWith("export ", StringComparison.Ordinal))
                .SelectMany(l => l["export ".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .Select(a => a.Split('=', 2))
                .Where(kv => kv.Length == 2)
                .ToDictionary(kv => kv[0], kv => kv[1].Trim('\'', '"'), StringComparer.Ordinal);
            var serverName = File.ReadLines(Path.Combine(directory, "homeserver.yaml"))
                .Select(l => l.Trim()).First(l => l.StartsWith("server_name:", StringComparison.Ordinal))["server_name:".Length..].Trim().Trim('"');
            return new Synapse(script, directory, env, serverName);
        }
        catch
        {
            await StopAsync(script, directory);
            throw;
        }
    }

    /// <summary>The access token of one of the users the script creates (mod, alice, bob, mallory, carol, admin).</summary>
    public string Token(string user) => _env["TOK_" + user];

    /// <summary>Loads an appservice registration (YAML) as a config fragment and restarts Synapse, as an operator would.</summary>
    public async Task RegisterAppserviceAsync(string registrationYaml)
    {
        var registration = Path.Combine(_directory, "relay-registration.yaml");
        await File.WriteAllTextAsync(registration, registrationYaml);
        var confD = Path.Combine(_directory, "conf.d");
        Directory.CreateDirectory(confD);
        await File.WriteAllTextAsync(Path.Combine(confD, "relay.yaml"), $"app_service_config_files: [\"{registration}\"]\n");
        await RunScriptAsync(_script, _directory, "restart");
    }

    /// <summary>Registers a user with the shared-secret admin API (as register_new_matrix_user does); returns its token.</summary>
    public async Task<string> RegisterUserAsync(string localpart)
    {
        var nonce = (await Client.GetFromJsonAsync<JsonObject>("_synapse/admin/v1/register"))!["nonce"]!.GetValue<string>();
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(12));
        // Synapse's shared-secret registration API defines its MAC as HMAC-SHA1; there is no other choice.
#pragma warning disable CA5350
        var mac = HMACSHA1.HashData(Encoding.UTF8.GetBytes(_env["SHARED_SECRET"]),
            Encoding.UTF8.GetBytes($"{nonce}\0{localpart}\0{password}\0notadmin"));
#pragma warning restore CA5350
        var body = new JsonObject
        {
            ["nonce"] = nonce, ["username"] = localpart, ["password"] = password, ["admin"] = false,
            ["mac"] = Convert.ToHexStringLower(mac),
        };
        using var response = await Client.PostAsJsonAsync("_synapse/admin/v1/register", body);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["access_token"]!.GetValue<string>();
    }

    /// <summary>One client-server request with <paramref name="token"/>; the response's JSON, or an exception naming the failure.</summary>
    /// <remarks>A 429 is waited out (as long as Synapse says) and counted in <see cref="RateLimited"/>, up to ten times.</remarks>
    public async Task<JsonObject> SendAsync(HttpMethod method, string path, string token, JsonObject? body = null)
    {
        for (var attempt = 0; ; attempt++)
        {
            using var request = new HttpRequestMessage(method, path);
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            if (body is not null)
            {
                request.Content = JsonContent.Create(body);
            }
            using var response = await Client.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            if (response.StatusCode == System.Net.HttpStatusCode.TooManyRequests && attempt < 10)
            {
                Interlocked.Increment(ref _rateLimited);
                var wait = (JsonNode.Parse(text) as JsonObject)?["retry_after_ms"]?.GetValue<long>() ?? 1000;
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Clamp(wait, 10, 5000)));
                continue;
            }
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"Synapse answered {(int)response.StatusCode} to {method} {path}: {text}");
            }
            return JsonNode.Parse(text) as JsonObject ?? [];
        }
    }

    /// <summary>How many of <see cref="SendAsync"/>'s requests Synapse answered 429.</summary>
    public int RateLimited => Volatile.Read(ref _rateLimited);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await StopAsync(_script, _directory);
    }

    private static async Task StopAsync(string script, string directory)
    {
        try
        {
            await RunScriptAsync(script, directory, "stop");
        }
        finally
        {
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
                // A log still being written; the OS cleans temp folders.
            }
        }
    }

    private static async Task RunScriptAsync(string script, string directory, string argument)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(directory);
        start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(ScriptLimit);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"start-synapse {argument} did not finish within {ScriptLimit.TotalMinutes} minutes.");
        }
        if (process.ExitCode != 0)
        {
            var output = (await stdout + await stderr).Trim();
            throw new InvalidOperationException($"start-synapse {argument} exited {process.ExitCode}: {output[Math.Max(0, output.Length - 600)..]}");
        }
    }
}
