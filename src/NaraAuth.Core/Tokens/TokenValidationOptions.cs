using System;

namespace NaraAuth.Core.Tokens;

public sealed class TokenValidationOptions
{
    /// <summary>Allowed difference between our clock and the issuer's (docs/protocol.md 1.3).</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(60);

    /// <summary>When set, the token's org claim must equal it.</summary>
    public string? RequiredOrganization { get; set; }
    /// <summary>Return expired tokens instead of failing (for reporting only, never for saving).</summary>
    public bool AllowExpired { get; set; }
}
