using NaraAuth.Module.Tests.Harness;

namespace NaraAuth.Module.Tests.Oidc;

/// <summary>Where a test session's direct OIDC login is saved.</summary>
public static class OidcSessionFiles
{
    /// <summary>The one session file, or null when none was written.</summary>
    public static string? Single(PsSession session)
    {
        var dir = Path.Combine(session.Home, ".config", "naraauth", "oidc");
        return Directory.Exists(dir) ? Directory.GetFiles(dir, "*.json").SingleOrDefault() : null;
    }
}
