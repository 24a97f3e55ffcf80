using System;
using NaraAuth.Core.Storage;

namespace NaraAuth.Core.Tokens;

/// <summary>What Get-AuthToken asks about the stored Edge Connector token.</summary>
public sealed class StoredTokenQuery
{
    /// <summary>-Path: an explicit token file.</summary>
    public string? TokenPath { get; set; }
    public string? InstallPath { get; set; }
    public bool AllowExpired { get; set; }
    /// <summary>-Verify: also ask the platform (signature and organization).</summary>
    public bool Verify { get; set; }
    /// <summary>-BaseUrl for -Verify.</summary>
    public string? BaseUrl { get; set; }
    public TimeSpan WarningWindow { get; set; } = ExpiryNotice.DefaultWarningWindow;
    /// <summary>-RuntimeAccount, already found: whether it owns the file is part of the answer.</summary>
    public RuntimeAccount? RuntimeAccount { get; set; }
}
