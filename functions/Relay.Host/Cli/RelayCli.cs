using System.CommandLine;

namespace Relay.Host.Cli;

/// <summary>
/// <c>relay [serve]</c>, <c>relay cases list|show|escalate|export|purge</c>, <c>relay report transparency</c>. Unknown tokens (<c>--urls</c>, <c>--Relay:Data:Path=...</c>)
/// pass through to configuration, so every setting can also be given on the command line.
/// </summary>
public static class RelayCli
{
    public static RootCommand Build()
    {
        var root = new RootCommand("Relay: a Matrix report relay. Without a command, serves (same as 'relay serve').")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        var serve = new Command("serve", "Serve the report, appservice and health endpoints (the default).")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        serve.SetAction((result, ct) => ServeCommand.RunAsync([.. result.UnmatchedTokens], ct));
        root.SetAction((result, ct) => ServeCommand.RunAsync([.. result.UnmatchedTokens], ct));
        root.Subcommands.Add(serve);
        root.Subcommands.Add(CasesCommand.Create());
        EscalateCommand.AddTo(root);
        CaseLifecycleCommands.AddTo(root);
        root.Subcommands.Add(ReportCommand.Create());
        root.Subcommands.Add(RegistrationCommand.Create());
        root.Subcommands.Add(PingCommand.Create());
        return root;
    }
}
