using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace Relay.Host.Cli;

/// <summary>
/// The help System.CommandLine prints, with what it cannot know: where settings come from, which store a command reads and
/// where <c>relay serve</c> listens. Commands pass unknown tokens through to configuration, which the default help shows
/// as a cryptic <c>[[--] &lt;additional arguments&gt;...]]</c>; that goes, and the Settings section says what they are.
/// </summary>
internal sealed class CliHelp(HelpAction inner) : SynchronousCommandLineAction
{
    private const string AdditionalUsage = " [[--] <additional arguments>...]]";

    /// <summary>Puts this help in place of the default one of <paramref name="root"/> (its help option is inherited by every command).</summary>
    public static void Install(RootCommand root)
    {
        var option = root.Options.OfType<HelpOption>().Single();
        option.Action = new CliHelp((HelpAction)option.Action!);
    }

    public override int Invoke(ParseResult parseResult)
    {
        var configuration = parseResult.InvocationConfiguration;
        var output = configuration.Output;
        using var captured = new StringWriter();
        configuration.Output = captured;
        try
        {
            inner.Invoke(parseResult);
        }
        finally
        {
            configuration.Output = output;
        }
        output.Write(Rewrite(captured.ToString(), parseResult.CommandResult.Command));
        return 0;
    }

    public static string Rewrite(string help, Command command)
    {
        var text = help.Replace(AdditionalUsage, "", StringComparison.Ordinal).ReplaceLineEndings("\n");
        var additional = text.IndexOf("Additional Arguments:\n", StringComparison.Ordinal);
        if (additional >= 0)
        {
            var end = text.IndexOf("\n\n", additional, StringComparison.Ordinal);
            text = text[..additional] + (end < 0 ? "" : text[(end + 2)..]);
        }
        return text.TrimEnd('\n') + "\n\n" + Sections(command) + "\n";
    }

    private static string Sections(Command command)
    {
        var sections = new List<string>
        {
            """
            Settings:
              From environment variables (Relay__Section__Key), appsettings.json in the working directory, or the
              command line (--Relay:Section:Key=value). Every setting, with its default, is in docs/configuration.md
              of Relay's repository.
            """,
        };
        if (NeedsHomeserver(command))
        {
            sections[0] += """

              Required: Relay__Homeserver__Url, Relay__Homeserver__ServerName, Relay__Appservice__AsToken and
              Relay__Appservice__HsToken ('relay registration' prints them).
            """;
        }
        if (UsesStore(command))
        {
            sections.Add("""
                Store:
                  The SQLite file ./relay-data/relay.db, relative to the working directory; another with
                  Relay__Data__Path or --Relay:Data:Path=FILE. With Relay__Storage__TableServiceUri (or
                  Relay__Storage__ConnectionString) and Relay__ServiceBus__FullyQualifiedNamespace: Azure Table Storage.
                """);
        }
        if (command is RootCommand || command.Name == "serve")
        {
            sections.Add("""
                Listening:
                  http://127.0.0.1:7071, unless --urls says otherwise (e.g. --urls http://0.0.0.0:8080, or
                  ASPNETCORE_URLS); under Azure Functions, 127.0.0.1 on the host's FUNCTIONS_CUSTOMHANDLER_PORT.
                """);
        }
        return string.Join("\n\n", sections.Select(s => s.ReplaceLineEndings("\n").TrimEnd('\n')));
    }

    private static bool NeedsHomeserver(Command command) => command is RootCommand || command.Name is "serve" or "ping";

    private static bool UsesStore(Command command) =>
        command is RootCommand || command.Name is "serve" or "cases" or "report"
        || command.Parents.OfType<Command>().Any(p => p.Name is "cases" or "report");
}
