using System.Collections.Generic;
using System.IO;
using NaraAuth.Core.Storage;

namespace NaraAuth.Core.Status;

/// <summary>What to look at: the Edge Connector location parameters, which kinds, and whether to ask the servers.</summary>
public sealed class CredentialQuery
{
    public string? TokenPath { get; set; }
    public string? InstallPath { get; set; }
    /// <summary>Only these kinds; null or empty for all.</summary>
    public ICollection<CredentialKind>? Kinds { get; set; }
    public bool Verify { get; set; }
    /// <summary>The platform for -Verify of the Edge Connector token and deployment credentials (else the usual rules).</summary>
    public string? BaseUrl { get; set; }
    /// <summary>The account the Edge Connector runs as: files it owns count as protected, and each record says whether it owns the file.</summary>
    public RuntimeAccount? RuntimeAccount { get; set; }
    /// <summary>A deployment credentials file written with -SaveCredentialsTo, reported instead of the environment's.</summary>
    public string? CredentialsPath { get; set; }
}
