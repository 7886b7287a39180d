using System.CommandLine;
using Relay.Host.Cli;
using Relay.Tests.Harness;

namespace Relay.Tests.Hosting;

/// <summary>
/// What <c>relay</c> says about itself: every command's help names where settings come from (and, where it matters, the store
/// and <c>--urls</c>) with no cryptic pass-through syntax; <c>relay help</c> and a mistyped command explain instead of serving.
/// </summary>
public sealed class CliHelpTests
{
    public static TheoryData<string> Commands => [.. AllCommands(RelayCli.Build(), []).Select(path => string.Join(' ', path))];

    private static IEnumerable<string[]> AllCommands(Command command, string[] path)
    {
        yield return path;
        foreach (var sub in command.Subcommands)
        {
            foreach (var nested in AllCommands(sub, [.. path, sub.Name]))
            {
                yield return nested;
            }
        }
    }

    private static string Help(string command)
    {
        using var output = new StringWriter();
        var code = RelayCli.Build().Parse([.. command.Split(' ', StringSplitOptions.RemoveEmptyEntries), "--help"])
            .Invoke(new InvocationConfiguration { Output = output });
        Assert.Equal(0, code);
        return output.ToString();
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public void Every_commands_help_says_where_settings_come_from_without_pass_through_syntax(string command)
    {
        var help = Help(command);

        Assert.DoesNotContain("additional arguments", help, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Settings:", help, StringComparison.Ordinal);
        Assert.Contains("--Relay:Section:Key=value", help, StringComparison.Ordinal);
        Assert.Contains("docs/configuration.md", help, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("serve")]
    [InlineData("cases list")]
    [InlineData("cases show")]
    [InlineData("cases purge")]
    [InlineData("report transparency")]
    public void Commands_that_read_the_store_name_it_and_how_to_choose_another(string command)
    {
        var help = Help(command);

        Assert.Contains("./relay-data/relay.db", help, StringComparison.Ordinal);
        Assert.Contains("Relay__Data__Path", help, StringComparison.Ordinal);
        Assert.Contains("Relay__Storage__TableServiceUri", help, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("serve")]
    public void Serving_help_says_where_relay_listens_and_how_to_change_it(string command)
    {
        var help = Help(command);

        Assert.Contains("http://127.0.0.1:7071", help, StringComparison.Ordinal);
        Assert.Contains("--urls", help, StringComparison.Ordinal);
        Assert.Contains("Relay__Homeserver__Url", help, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Relay_help_lists_the_commands_and_exits_0()
    {
        var (code, output, error) = await RelayCliProcess.RunAsync(new Dictionary<string, string>(), "help");

        Assert.True(code == 0, error);
        foreach (var command in new[] { "serve", "cases", "report", "registration", "ping" })
        {
            Assert.Contains($"  {command} ", output, StringComparison.Ordinal);
        }
        Assert.DoesNotContain("cannot start", output + error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Relay_help_of_a_command_describes_that_command()
    {
        var (code, output, _) = await RelayCliProcess.RunAsync(new Dictionary<string, string>(), "help", "cases", "show");

        Assert.Equal(0, code);
        Assert.Contains("relay cases show <case> [options]", output, StringComparison.Ordinal);
        Assert.Contains("short reference", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("frobnicate")]
    [InlineData("serve", "lsit")]
    public async Task A_mistyped_command_says_what_exists_and_does_not_start_the_server(params string[] args)
    {
        var (code, output, error) = await RelayCliProcess.RunAsync(new Dictionary<string, string>(), args);

        Assert.Equal(1, code);
        Assert.Contains($"'{args[^1]}' is not a Relay command", error, StringComparison.Ordinal);
        Assert.Contains("serve, cases, report, registration, ping, help", error, StringComparison.Ordinal);
        Assert.DoesNotContain("cannot start", output + error, StringComparison.Ordinal);
    }
}
