using System.Management.Automation;
using System.Xml.Linq;

namespace NaraAuth.HelpGen;

/// <summary>Writes MAML that Get-Help reads: details, syntax per parameter set, parameters, I/O, notes, examples.</summary>
internal static class MamlWriter
{
    private static readonly XNamespace Msh = "http://msh";
    private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
    private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

    public static readonly HashSet<string> CommonParameters = new(StringComparer.OrdinalIgnoreCase)
    {
        "Verbose", "Debug", "ErrorAction", "WarningAction", "InformationAction", "ProgressAction", "ErrorVariable",
        "WarningVariable", "InformationVariable", "OutVariable", "OutBuffer", "PipelineVariable",
    };

    private static readonly Dictionary<string, string> RiskParameters = new(StringComparer.OrdinalIgnoreCase)
    {
        ["WhatIf"] = "Shows what would happen if the cmdlet runs. Nothing is changed or written.",
        ["Confirm"] = "Prompts you for confirmation before running the cmdlet.",
    };

    /// <param name="onlineHelpBase">Where the help pages are published; each cmdlet's page is
    /// <c>&lt;base&gt;/&lt;Verb-Noun&gt;.md</c>. Get-Help -Online opens the first related link that has a URI.</param>
    public static XDocument Write(IEnumerable<(CmdletInfo Cmdlet, HelpDocument Doc)> commands, Uri onlineHelpBase)
    {
        var root = new XElement(Msh + "helpItems", new XAttribute("schema", "maml"),
            new XAttribute(XNamespace.Xmlns + "maml", Maml), new XAttribute(XNamespace.Xmlns + "command", Command),
            new XAttribute(XNamespace.Xmlns + "dev", Dev));
        foreach (var (cmdlet, doc) in commands) root.Add(CommandElement(cmdlet, doc, onlineHelpBase));
        return new XDocument(new XDeclaration("1.0", "utf-8", null), root);
    }

    private static XElement Paras(XName name, IEnumerable<string> lines) =>
        new(name, MarkdownHelpParser.Paragraphs(lines).Select(p => new XElement(Maml + "para", p)));

    private static string Describe(string parameter, HelpDocument doc) =>
        doc.Parameters.TryGetValue(parameter, out var lines) ? string.Join("\n", lines) : RiskParameters.GetValueOrDefault(parameter, string.Empty);

    private static XElement CommandElement(CmdletInfo cmdlet, HelpDocument doc, Uri onlineHelpBase)
    {
        var all = cmdlet.Parameters.Values.Where(p => !CommonParameters.Contains(p.Name)).OrderBy(p => p.Name).ToList();
        return new XElement(Command + "command",
            new XElement(Command + "details",
                new XElement(Command + "name", cmdlet.Name),
                new XElement(Command + "verb", cmdlet.Verb),
                new XElement(Command + "noun", cmdlet.Noun),
                new XElement(Maml + "description", new XElement(Maml + "para", doc.Synopsis))),
            Paras(Maml + "description", doc.Description),
            new XElement(Command + "syntax", cmdlet.ParameterSets.Select(set =>
                new XElement(Command + "syntaxItem",
                    new XElement(Maml + "name", cmdlet.Name),
                    set.Parameters.Where(p => !CommonParameters.Contains(p.Name))
                        .OrderBy(p => p.Position < 0 ? int.MaxValue : p.Position).ThenBy(p => p.IsMandatory ? 0 : 1)
                        .Select(p => ParameterElement(p.Name, p.ParameterType, p.IsMandatory, p.Position, p.ValueFromPipeline,
                            p.ValueFromPipelineByPropertyName, p.Aliases, doc))))),
            new XElement(Command + "parameters", all.Select(p =>
            {
                var first = p.ParameterSets.Values.First();
                return ParameterElement(p.Name, p.ParameterType, p.ParameterSets.Values.All(s => s.IsMandatory),
                    first.Position == int.MinValue ? -1 : first.Position,
                    p.ParameterSets.Values.Any(s => s.ValueFromPipeline), p.ParameterSets.Values.Any(s => s.ValueFromPipelineByPropertyName),
                    p.Aliases, doc);
            })),
            new XElement(Command + "inputTypes", doc.Inputs.Select(i => new XElement(Command + "inputType",
                new XElement(Dev + "type", new XElement(Maml + "name", i.Type)), Paras(Maml + "description", i.Text)))),
            new XElement(Command + "returnValues", doc.Outputs.Select(o => new XElement(Command + "returnValue",
                new XElement(Dev + "type", new XElement(Maml + "name", o.Type)), Paras(Maml + "description", o.Text)))),
            new XElement(Maml + "alertSet", new XElement(Maml + "alert", MarkdownHelpParser.Paragraphs(doc.Notes).Select(p => new XElement(Maml + "para", p)))),
            new XElement(Command + "examples", doc.Examples.Select(e => new XElement(Command + "example",
                new XElement(Maml + "title", $"-------------------------- {e.Title} --------------------------"),
                new XElement(Dev + "code", e.Code),
                Paras(Dev + "remarks", e.Remarks)))),
            new XElement(Command + "relatedLinks",
                new XElement(Maml + "navigationLink", new XElement(Maml + "linkText", "Online version:"),
                    new XElement(Maml + "uri", new Uri(onlineHelpBase, cmdlet.Name + ".md").AbsoluteUri)),
                doc.Links.Select(l => l.Trim().TrimStart('-', '*').Trim()).Where(l => l.Length > 0)
                .Select(l => new XElement(Maml + "navigationLink", new XElement(Maml + "linkText", l), new XElement(Maml + "uri")))));
    }

    private static XElement ParameterElement(string name, Type type, bool mandatory, int position, bool byValue, bool byName,
        IEnumerable<string> aliases, HelpDocument doc)
    {
        var pipeline = (byValue, byName) switch
        {
            (true, true) => "True (ByValue, ByPropertyName)",
            (true, false) => "True (ByValue)",
            (false, true) => "True (ByPropertyName)",
            _ => "False",
        };
        var isSwitch = type == typeof(SwitchParameter);
        var aliasText = aliases.Any() ? string.Join(", ", aliases) : "none";
        return new XElement(Command + "parameter",
            new XAttribute("required", mandatory ? "true" : "false"),
            new XAttribute("variableLength", type.IsArray ? "true" : "false"),
            new XAttribute("globbing", "false"),
            new XAttribute("pipelineInput", pipeline),
            new XAttribute("position", position >= 0 ? position.ToString() : "named"),
            new XAttribute("aliases", aliasText),
            new XElement(Maml + "name", name),
            Paras(Maml + "description", Describe(name, doc).Split('\n')),
            isSwitch ? null : new XElement(Command + "parameterValue", new XAttribute("required", "true"), new XAttribute("variableLength", "false"), type.Name),
            new XElement(Dev + "type", new XElement(Maml + "name", type.FullName), new XElement(Maml + "uri")),
            new XElement(Dev + "defaultValue", isSwitch ? "False" : "None"));
    }
}
