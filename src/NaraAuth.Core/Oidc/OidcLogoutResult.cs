using System.Collections.Generic;
using System.Net.Http;

namespace NaraAuth.Core.Oidc;

/// <summary>What a logout ended at the provider, and why the rest was not ended there (null when nothing went wrong).</summary>
public sealed class OidcLogoutResult
{
    public List<string> Revoked { get; } = new();
    public string? Problem { get; set; }
}
