using System;
using System.Threading;
using System.Threading.Tasks;
using NaraAuth.Core.Oidc.Browser;

namespace NaraAuth.Core.EdgePlane.Login;

/// <summary>What Invoke-OidcCliLogin was asked in its EdgePlane mode, as plain values.</summary>
public sealed class EdgePlaneLoginRequest
{
    /// <summary>-BaseUrl; else EP_BASE_URL.</summary>
    public string? BaseUrl { get; set; }
    public int? TtlHours { get; set; }
    public bool NoBrowser { get; set; }
    /// <summary>A grant id (olg_...) from a login finished elsewhere: exchanged without a new login.</summary>
    public string? GrantId { get; set; }
    /// <summary>
    /// -PromptForGrantId: how the person is asked for the grant id the success page shows, instead
    /// of polling for it; answers null or blank when nothing was typed.
    /// </summary>
    public Func<CancellationToken, Task<string?>>? AskForGrantId { get; set; }
    public TimeSpan LoginTimeout { get; set; } = TimeSpan.FromSeconds(BrowserLoginOptions.DefaultTimeoutSeconds);
    /// <summary>Keep a saved session only if it stays valid this long; null for <see cref="EdgePlaneSessionReuse.DefaultMinimumValidity"/>.</summary>
    public TimeSpan? MinimumValidity { get; set; }
    public bool Force { get; set; }
    /// <summary>Why no person can answer a browser login here (CI, -NonInteractive), or null.</summary>
    public string? NonInteractiveReason { get; set; }
}
