namespace NaraAuth.HelpGen;

/// <summary>One cmdlet's help as written in docs/help/&lt;Verb-Noun&gt;.md.</summary>
internal sealed class HelpDocument
{
    public string Name { get; set; } = string.Empty;
    public string Synopsis { get; set; } = string.Empty;
    public List<string> Description { get; } = new();
    public List<HelpExample> Examples { get; } = new();
    public Dictionary<string, List<string>> Parameters { get; } = new(StringComparer.OrdinalIgnoreCase);
    public List<(string Type, List<string> Text)> Inputs { get; } = new();
    public List<(string Type, List<string> Text)> Outputs { get; } = new();
    public List<string> Notes { get; } = new();
    public List<string> Links { get; } = new();
}

