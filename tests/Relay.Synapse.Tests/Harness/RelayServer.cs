using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;

namespace Relay.Synapse.Tests.Harness;

/// <summary>
/// The real <c>relay serve</c> as a child process, configured from the registration as the README says (the settings
/// <c>relay registration</c> printed, plus the homeserver's URL), listening where the registration's url points.
/// Its console log is kept for the tests to read.
/// </summary>
public sealed class RelayServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _log = new();

    private readonly StreamWriter _file;

    private RelayServer(Process process, Uri url, string logFile)
    {
        _process = process;
        Url = url;
        LogFile = logFile;
        _file = new StreamWriter(logFile, append: true) { AutoFlush = true };
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
    }

    public Uri Url { get; }

    public string Log => string.Join('\n', _log);

    /// <summary>Relay's console log, also kept in a file beside its store (the suite's first place to look when a test fails).</summary>
    public string LogFile { get; }

    public static async Task<RelayServer> StartAsync(SynapseTarget target, string serverName, string dataPath,
        IReadOnlyDictionary<string, string> settings)
    {
        var registration = target.Registration;
        var url = new Uri($"http://127.0.0.1:{registration.Url.Port}/");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(dataPath)!,
        };
        foreach (var arg in (string[])["exec", RelayDll(), "serve", "--urls", url.ToString().TrimEnd('/')])
        {
            start.ArgumentList.Add(arg);
        }
        var environment = new Dictionary<string, string>
        {
            ["Relay__Homeserver__Url"] = target.Url.ToString(),
            ["Relay__Homeserver__ServerName"] = serverName,
            ["Relay__Appservice__Id"] = registration.Id,
            ["Relay__Appservice__AsToken"] = registration.AsToken,
            ["Relay__Appservice__HsToken"] = registration.HsToken,
            ["Relay__Appservice__SenderLocalpart"] = registration.SenderLocalpart,
            ["Relay__Data__Path"] = dataPath,
            ["Logging__Console__FormatterName"] = "simple",
            ["Logging__Console__FormatterOptions__SingleLine"] = "true",
        };
        foreach (var (key, value) in settings)
        {
            environment[key] = value;
        }
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }
        var relay = new RelayServer(Process.Start(start)!, url, Path.Combine(Path.GetDirectoryName(dataPath)!, "relay.log"));
        relay._process.BeginOutputReadLine();
        relay._process.BeginErrorReadLine();
        using var http = new HttpClient();
        await Eventually.TrueAsync($"relay serve to answer on {url} (log so far:\n{relay.Log})", async () =>
        {
            if (relay._process.HasExited)
            {
                throw new InvalidOperationException($"relay serve exited with {relay._process.ExitCode}:\n{relay.Log}");
            }
            try
            {
                return (await http.GetAsync(new Uri(url, "healthz"))).IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(60));
        return relay;
    }

    /// <summary>Waits until a log line contains every one of <paramref name="parts"/>, and returns it.</summary>
    public Task<string> WaitForLogAsync(params string[] parts) =>
        Eventually.GetAsync($"a Relay log line with {string.Join(" and ", parts)}", () =>
            Task.FromResult(_log.FirstOrDefault(line => parts.All(p => line.Contains(p, StringComparison.Ordinal)))));

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        await _file.DisposeAsync();
    }

    private void Keep(string? line)
    {
        if (line is not null)
        {
            _log.Enqueue(line);
            lock (_file)
            {
                _file.WriteLine(line);
            }
        }
    }

    /// <summary>relay.dll beside these tests (the project references Relay.Host), or RELAY_DLL.</summary>
    private static string RelayDll()
    {
        var path = Environment.GetEnvironmentVariable("RELAY_DLL") is { Length: > 0 } given ? given : Path.Combine(AppContext.BaseDirectory, "relay.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("relay.dll not found", path);
    }
}
