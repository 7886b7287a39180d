using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Relay.Benchmarks.Load;

/// <summary>
/// The published executables of figures 3 and 5: <c>relay</c> exactly as .ci/publish-smoke publishes it, and
/// the hello-world baseline published with the same flags.
/// </summary>
public static class Published
{
    public const string Flags = "-c Release -r linux-x64 --self-contained -p:PublishReadyToRun=true -p:PublishSingleFile=true";

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Relay.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Run the benchmarks from the repository (no Relay.sln above " + AppContext.BaseDirectory + ").");
    }

    /// <summary>Publishes <paramref name="project"/> into <paramref name="output"/> unless <paramref name="executable"/> is already there.</summary>
    public static async Task<string> EnsureAsync(string project, string output, string executable, bool reuse)
    {
        var path = Path.Combine(output, executable);
        if (reuse && File.Exists(path))
        {
            return path;
        }
        Console.Error.WriteLine($"publishing {project} ({Flags}) ...");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = RepositoryRoot(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in $"publish {project} {Flags} -o".Split(' '))
        {
            start.ArgumentList.Add(arg);
        }
        start.ArgumentList.Add(output);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(20));
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            // A figure that cannot publish fails with the reason; the run goes on to the next figure.
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet publish {project} did not finish within 20 minutes (a busy machine?).");
        }
        if (process.ExitCode != 0 || !File.Exists(path))
        {
            throw new InvalidOperationException($"dotnet publish {project} failed:\n{await stdout}\n{await stderr}");
        }
        return path;
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Starts the executable with output discarded (but drained, so a chatty log cannot block it).</summary>
    public static Process Start(string executable, IReadOnlyDictionary<string, string?> environment, string workingDirectory,
        params string[] args)
    {
        var start = new ProcessStartInfo(executable)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Polls <c>GET /</c> until it answers 200; the time from <paramref name="started"/> (a Stopwatch timestamp).</summary>
    public static async Task<TimeSpan> WaitForFirst200Async(Process process, int port, long started, TimeSpan limit)
    {
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false, ConnectTimeout = TimeSpan.FromSeconds(1) })
        {
            Timeout = TimeSpan.FromSeconds(5),
        };
        var url = new Uri($"http://127.0.0.1:{port}/");
        while (Stopwatch.GetElapsedTime(started) < limit)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{process.StartInfo.FileName} exited with {process.ExitCode} before answering.");
            }
            try
            {
                using var response = await client.GetAsync(url);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return Stopwatch.GetElapsedTime(started);
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(1);
        }
        throw new TimeoutException($"{process.StartInfo.FileName} did not answer GET / within {limit.TotalSeconds} s.");
    }

    /// <summary>VmRSS from /proc/&lt;pid&gt;/status, in bytes.</summary>
    public static long ResidentBytes(Process process) => StatusBytes(process, "VmRSS:");

    /// <summary>
    /// The two parts of VmRSS that move: anonymous memory (heaps, stacks, JIT code) and file-backed pages (the
    /// single-file bundle, the runtime's native libraries).
    /// </summary>
    public static (long Anonymous, long File) ResidentParts(Process process) =>
        (StatusBytes(process, "RssAnon:"), StatusBytes(process, "RssFile:"));

    private static long StatusBytes(Process process, string field)
    {
        foreach (var line in File.ReadLines($"/proc/{process.Id}/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                var kb = long.Parse(line[field.Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
                return kb * 1024;
            }
        }
        throw new InvalidOperationException($"No {field} for process {process.Id}.");
    }

    public static void Stop(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }
        process.Dispose();
    }
}
