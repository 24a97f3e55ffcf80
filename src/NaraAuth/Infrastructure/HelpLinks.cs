namespace NaraAuth.Infrastructure;

/// <summary>
/// Where each cmdlet's page lives online (docs/help/Name.md in the project repository), so
/// Get-Help -Online opens it even where the module's MAML help is not installed.
/// </summary>
internal static class HelpLinks
{
    public const string Base = "https://github.com/naraauth/NaraAuth/blob/main/docs/help/";
}
