using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Relay.Synapse.Tests.Harness;

/// <summary>
/// nginx in front of Synapse with the README's "Routing the Report button to Relay" locations, copied from the README
/// itself (so the documented routing is what is tested), the README's Relay address replaced by the one under test.
/// Every other path goes to Synapse, as it did before.
/// </summary>
public sealed partial class ReadmeProxy : IAsyncDisposable
{
    private readonly Process _process;

    private ReadmeProxy(Process process, Uri url)
    {
        _process = process;
        Url = url;
    }

    public Uri Url { get; }

    public static async Task<ReadmeProxy> StartAsync(Uri synapse, Uri relay)
    {
        var nginx = File.Exists("/usr/sbin/nginx") ? "/usr/sbin/nginx" : "nginx";
        var directory = Directory.CreateTempSubdirectory("relay-synapse-nginx-").FullName;
        var port = FreePort();
        var locations = ReadmeLocations().Replace("http://127.0.0.1:7071", relay.ToString().TrimEnd('/'), StringComparison.Ordinal);
        var conf = Path.Combine(directory, "nginx.conf");
        await File.WriteAllTextAsync(conf, $$"""
            daemon off;
            master_process off;
            pid {{directory}}/nginx.pid;
            error_log {{directory}}/error.log;
            events {}
            http {
                access_log off;
                client_body_temp_path {{directory}}/body;
                proxy_temp_path {{directory}}/proxy;
                fastcgi_temp_path {{directory}}/fastcgi;
                uwsgi_temp_path {{directory}}/uwsgi;
                scgi_temp_path {{directory}}/scgi;
                server {
                    listen 127.0.0.1:{{port}};
            {{locations}}
                    location / {
                        proxy_pass {{synapse.ToString().TrimEnd('/')}};
                        proxy_set_header Host $host;
                    }
                }
            }
            """);
        var start = new ProcessStartInfo(nginx) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in (string[])["-p", directory, "-c", conf, "-e", Path.Combine(directory, "error.log")])
        {
            start.ArgumentList.Add(arg);
        }
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("nginx is not installed; tests/synapse/run installs it with apt.", e);
        }
        var url = new Uri($"http://127.0.0.1:{port}/");
        var proxy = new ReadmeProxy(process, url);
        using var http = new HttpClient();
        await Eventually.TrueAsync("nginx to serve Synapse's /versions through the README's routing", async () =>
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"nginx exited: {await process.StandardError.ReadToEndAsync()} "
                    + File.ReadAllText(Path.Combine(directory, "error.log")));
            }
            try
            {
                return (await http.GetAsync(new Uri(url, "_matrix/client/versions"))).IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(20));
        return proxy;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    /// <summary>The body of the README's first ```nginx block.</summary>
    public static string ReadmeLocations()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md"));
        var block = NginxBlock().Match(readme);
        return block.Success ? block.Groups[1].Value : throw new InvalidOperationException("README.md has no ```nginx block");
    }

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Relay.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Relay.sln not found above " + AppContext.BaseDirectory);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex("```nginx\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex NginxBlock();
}
