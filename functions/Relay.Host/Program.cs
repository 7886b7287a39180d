using System.CommandLine;
using Relay.Host.Cli;

return await RelayCli.Build().Parse(args).InvokeAsync();
