using System.Management.Automation;
using System.Management.Automation.Runspaces;
using NaraAuth.HelpGen;

// Usage: NaraAuth.HelpGen <docs/help folder> <staged module folder>
if (args.Length != 2)
{
    Console.Error.WriteLine("usage: NaraAuth.HelpGen <help markdown folder> <staged module folder>");
    return 2;
}
var helpDir = Path.GetFullPath(args[0]);
var moduleDir = Path.GetFullPath(args[1]);
var manifest = Path.Combine(moduleDir, "NaraAuth.psd1");

Environment.SetEnvironmentVariable("PSModulePath", Path.GetDirectoryName(moduleDir.TrimEnd('/', '\\')));
using var runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
runspace.Open();
using var ps = PowerShell.Create();
ps.Runspace = runspace;
ps.AddCommand("Import-Module").AddParameter("Name", manifest).AddParameter("PassThru").AddParameter("ErrorAction", "Stop");
var module = (PSModuleInfo)ps.Invoke()[0].BaseObject;

var problems = new List<string>();
var commands = new List<(CmdletInfo, HelpDocument)>();
foreach (var cmdlet in module.ExportedCmdlets.Values.OrderBy(c => c.Name))
{
    var file = Path.Combine(helpDir, cmdlet.Name + ".md");
    if (!File.Exists(file))
    {
        problems.Add($"{cmdlet.Name}: no help file {file}");
        continue;
    }
    var doc = MarkdownHelpParser.Parse(File.ReadAllText(file), file);
    if (!string.Equals(doc.Name, cmdlet.Name, StringComparison.Ordinal)) problems.Add($"{file}: title '{doc.Name}' is not '{cmdlet.Name}'");
    if (string.IsNullOrWhiteSpace(doc.Synopsis)) problems.Add($"{cmdlet.Name}: no SYNOPSIS");
    if (MarkdownHelpParser.Paragraphs(doc.Description).Count == 0) problems.Add($"{cmdlet.Name}: no DESCRIPTION");
    if (doc.Examples.Count < 2) problems.Add($"{cmdlet.Name}: {doc.Examples.Count} example(s), at least 2 are required");
    foreach (var example in doc.Examples.Where(e => string.IsNullOrWhiteSpace(e.Code))) problems.Add($"{cmdlet.Name}: example '{example.Title}' has no code");
    foreach (var parameter in cmdlet.Parameters.Keys.Where(p => !MamlWriter.CommonParameters.Contains(p) && p != "WhatIf" && p != "Confirm"))
    {
        if (!doc.Parameters.TryGetValue(parameter, out var text) || MarkdownHelpParser.Paragraphs(text).Count == 0)
            problems.Add($"{cmdlet.Name}: parameter -{parameter} is not described");
    }
    foreach (var documented in doc.Parameters.Keys.Where(p => !cmdlet.Parameters.ContainsKey(p)))
        problems.Add($"{cmdlet.Name}: help describes -{documented}, which the cmdlet does not have");
    commands.Add((cmdlet, doc));
}
if (problems.Count > 0)
{
    foreach (var p in problems) Console.Error.WriteLine("error HELP001: " + p);
    return 1;
}

if (module.ProjectUri == null)
{
    Console.Error.WriteLine("error HELP002: the manifest has no PSData.ProjectUri, so the help has no online location");
    return 1;
}
var onlineHelp = new Uri(module.ProjectUri.AbsoluteUri.TrimEnd('/') + "/blob/main/docs/help/");
var output = Path.Combine(moduleDir, "en-US", "NaraAuth.dll-Help.xml");
Directory.CreateDirectory(Path.GetDirectoryName(output)!);
MamlWriter.Write(commands, onlineHelp).Save(output);
Console.WriteLine($"NaraAuth help: {commands.Count} cmdlet(s) -> {output}");
return 0;
