namespace NaraAuth.HelpGen;

internal sealed class HelpExample
{
    public string Title { get; set; } = string.Empty;
    public string Code { get; set; } = string.Empty;
    public List<string> Remarks { get; } = new();
}
