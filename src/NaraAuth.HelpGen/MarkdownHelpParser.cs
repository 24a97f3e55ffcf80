using System.Text;

namespace NaraAuth.HelpGen;

/// <summary>
/// Reads the platyPS-like layout of docs/help: "# Name", then "## SYNOPSIS", "## DESCRIPTION",
/// "## EXAMPLES" ("### Example N: title" + a ```powershell block + remarks), "## PARAMETERS"
/// ("### -Name" + text), "## INPUTS"/"## OUTPUTS" ("### Type" + text), "## NOTES", "## RELATED LINKS".
/// </summary>
internal static class MarkdownHelpParser
{
    public static HelpDocument Parse(string text, string source)
    {
        var doc = new HelpDocument();
        string section = string.Empty;
        HelpExample? example = null;
        List<string>? current = null;
        var lines = text.Replace("\r\n", "\n").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.StartsWith("# ", StringComparison.Ordinal))
            {
                doc.Name = line[2..].Trim();
                continue;
            }
            if (line.StartsWith("## ", StringComparison.Ordinal))
            {
                section = line[3..].Trim().ToUpperInvariant();
                example = null;
                current = section switch
                {
                    "DESCRIPTION" => doc.Description,
                    "NOTES" => doc.Notes,
                    "RELATED LINKS" => doc.Links,
                    _ => null,
                };
                continue;
            }
            if (line.StartsWith("### ", StringComparison.Ordinal))
            {
                var heading = line[4..].Trim();
                switch (section)
                {
                    case "EXAMPLES":
                        example = new HelpExample { Title = heading };
                        doc.Examples.Add(example);
                        current = example.Remarks;
                        break;
                    case "PARAMETERS":
                        current = new List<string>();
                        doc.Parameters[heading.TrimStart('-')] = current;
                        break;
                    case "INPUTS":
                        current = new List<string>();
                        doc.Inputs.Add((heading, current));
                        break;
                    case "OUTPUTS":
                        current = new List<string>();
                        doc.Outputs.Add((heading, current));
                        break;
                    default:
                        throw new FormatException($"{source}: unexpected '### {heading}' in section '{section}'.");
                }
                continue;
            }
            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                var code = new StringBuilder();
                for (i++; i < lines.Length && !lines[i].StartsWith("```", StringComparison.Ordinal); i++) code.AppendLine(lines[i]);
                if (example == null) throw new FormatException($"{source}: a code block outside an example.");
                example.Code = code.ToString().TrimEnd();
                continue;
            }
            if (section == "SYNOPSIS")
            {
                if (line.Trim().Length > 0) doc.Synopsis = (doc.Synopsis + " " + line.Trim()).Trim();
                continue;
            }
            current?.Add(line);
        }
        return doc;
    }

    /// <summary>Joins lines into paragraphs (blank line = new paragraph); list items stay separate.</summary>
    public static List<string> Paragraphs(IEnumerable<string> lines)
    {
        var result = new List<string>();
        var sb = new StringBuilder();
        void Flush()
        {
            if (sb.Length > 0) result.Add(sb.ToString().Trim());
            sb.Clear();
        }
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.Length == 0)
            {
                Flush();
                continue;
            }
            if (line.StartsWith("- ", StringComparison.Ordinal) || line.StartsWith("* ", StringComparison.Ordinal)) Flush();
            sb.Append(sb.Length > 0 ? " " : string.Empty).Append(line);
        }
        Flush();
        return result;
    }
}
