using System.CommandLine;

namespace Relay.Host.Cli;

/// <summary>
/// <c>relay [serve]</c>, <c>relay cases list|show|escalate|export|purge</c>, <c>relay report transparency</c>,
/// <c>relay registration</c>, <c>relay ping</c> and <c>relay help</c>. Unknown options (<c>--urls</c>,
/// <c>--Relay:Data:Path=...</c>) pass through to configuration, so every setting can also be given on the command line;
/// an unknown word is a mistyped command, and is said to be one rather than starting the server.
/// </summary>
public static class RelayCli
{
    public static RootCommand Build()
    {
        var root = new RootCommand("Relay: a Matrix report relay. Without a command, serves (same as 'relay serve').")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        var serve = new Command("serve", "Serve the report, appservice, web form, dashboard and health endpoints (the default).")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        serve.SetAction((result, ct) => ServeUnlessMistypedAsync(root, result, ct));
        root.SetAction((result, ct) => ServeUnlessMistypedAsync(root, result, ct));
        root.Subcommands.Add(serve);
        root.Subcommands.Add(CasesCommand.Create());
        EscalateCommand.AddTo(root);
        CaseLifecycleCommands.AddTo(root);
        root.Subcommands.Add(ReportCommand.Create());
        root.Subcommands.Add(RegistrationCommand.Create());
        root.Subcommands.Add(PingCommand.Create());
        root.Subcommands.Add(HelpCommand(root));
        CliHelp.Install(root);
        return root;
    }

    private static Command HelpCommand(RootCommand root)
    {
        var topic = new Argument<string[]>("command") { Description = "The command to describe, e.g. 'cases show'.", Arity = ArgumentArity.ZeroOrMore };
        var help = new Command("help", "Describe Relay's commands, or one of them.") { topic };
        help.SetAction(result => root.Parse([.. result.GetValue(topic) ?? [], "--help"]).Invoke());
        return help;
    }

    private static async Task<int> ServeUnlessMistypedAsync(RootCommand root, ParseResult result, CancellationToken cancellationToken)
    {
        if (result.UnmatchedTokens is [var first, ..] && IsWord(first))
        {
            var commands = string.Join(", ", root.Subcommands.Select(c => c.Name));
            await Console.Error.WriteLineAsync(
                $"'{first}' is not a Relay command. The commands are {commands}; 'relay --help' says what each does. "
                + "Settings are given as --Relay:Section:Key=value.");
            return 1;
        }
        return await ServeCommand.RunAsync([.. result.UnmatchedTokens], cancellationToken);
    }

    /// <summary>A bare word, as opposed to what configuration reads from a command line (--key value, /key value, key=value).</summary>
    private static bool IsWord(string token) =>
        !token.StartsWith('-') && !token.StartsWith('/') && !token.Contains('=', StringComparison.Ordinal);
}
