using System;
using System.Management.Automation;

namespace NaraAuth.Infrastructure;

/// <summary>A cmdlet whose every parameter set sends requests: the network parameters in all of them.</summary>
public abstract class NetworkCmdlet : NetworkSettingsCmdlet
{
    /// <inheritdoc />
    [Parameter]
    [ValidateNotNull]
    public override Uri? Proxy { get; set; }

    /// <inheritdoc />
    [Parameter]
    [Credential]
    [ValidateNotNull]
    public override PSCredential? ProxyCredential { get; set; }

    /// <inheritdoc />
    [Parameter]
    [ValidateRange(1, 86400)]
    public override int TimeoutSec { get; set; }
}
