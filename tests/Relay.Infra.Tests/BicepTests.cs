using System.Diagnostics;
using System.Reflection;

namespace Relay.Infra.Tests;

/// <summary>infra-bicep compiles and passes the linter (bicepconfig.json) with no warning at all.</summary>
public sealed class BicepTests
{
    private static string Bicep()
    {
        var configured = typeof(BicepTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "BicepPath").Value;
        var path = configured?.Replace('\\', '/');
        Assert.True(path is not null && File.Exists(path),
            $"The Bicep CLI from the Azure.Bicep.CommandLine.linux-x64 package is missing ({path}); run dotnet restore.");
        return path;
    }

    [Theory]
    [InlineData("build", "main.bicep")]
    [InlineData("lint", "main.bicep")]
    [InlineData("build-params", "main.bicepparam")]
    public async Task Bicep_is_clean(string command, string file)
    {
        var (exit, output) = await RunAsync(Bicep(), command, Repository.PathOf("infra-bicep", file), "--stdout", Tokens(40));

        Assert.True(exit == 0, $"bicep {command} {file} failed ({exit}):\n{output}");
        Assert.DoesNotContain("Warning", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Error", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Parameters_without_the_appservice_tokens_fail_naming_the_variables()
    {
        var (exit, output) = await RunAsync(Bicep(), "build-params", Repository.PathOf("infra-bicep", "main.bicepparam"), "--stdout", new Dictionary<string, string>());

        Assert.NotEqual(0, exit);
        Assert.Contains("RELAY_AS_TOKEN", output, StringComparison.Ordinal);
        Assert.Contains("RELAY_HS_TOKEN", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Parameters_with_short_appservice_tokens_fail_before_deployment()
    {
        var (exit, output) = await RunAsync(Bicep(), "build-params", Repository.PathOf("infra-bicep", "main.bicepparam"), "--stdout", Tokens(8));

        Assert.NotEqual(0, exit);
        Assert.Contains("minimum allowable length is 32", output, StringComparison.Ordinal);
    }

    private static Dictionary<string, string> Tokens(int length) => new()
    {
        ["RELAY_AS_TOKEN"] = new string('a', length),
        ["RELAY_HS_TOKEN"] = new string('b', length),
    };

    private static async Task<(int Exit, string Diagnostics)> RunAsync(string executable, string command, string file, string stdout,
        IReadOnlyDictionary<string, string> environment)
    {
        var info = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(command);
        info.ArgumentList.Add(file);
        if (command != "lint")
        {
            info.ArgumentList.Add(stdout);
        }
        // The CLI needs no ICU for this; without it a machine lacking libicu would fail here.
        info.Environment["DOTNET_SYSTEM_GLOBALIZATION_INVARIANT"] = "1";
        info.Environment["BICEP_TRACING_ENABLED"] = "false";
        info.Environment.Remove("RELAY_AS_TOKEN");
        info.Environment.Remove("RELAY_HS_TOKEN");
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }
        using var process = Process.Start(info) ?? throw new InvalidOperationException("bicep did not start");
        var errors = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        // lint reports on stdout, build and build-params on stderr; stdout of build is the template.
        var diagnostics = await errors + (command == "lint" ? await output : "");
        _ = await output;
        return (process.ExitCode, diagnostics);
    }
}
