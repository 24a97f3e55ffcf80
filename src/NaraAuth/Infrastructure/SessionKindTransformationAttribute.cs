using System;
using System.Management.Automation;
using NaraAuth.Models;

namespace NaraAuth.Infrastructure;

/// <summary>
/// Reads Get-OidcSession -Kind in the one vocabulary of credential kinds (OidcSession,
/// EdgePlaneSession, as Get-NaraAuthStatus -Kind), and still accepts 0.1's words Oidc and
/// EdgePlane, so scripts written for 0.1 keep working.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class SessionKindTransformationAttribute : ArgumentTransformationAttribute
{
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
        if (value is string text)
        {
            if (string.Equals(text.Trim(), "Oidc", StringComparison.OrdinalIgnoreCase)) return CredentialKind.OidcSession;
            if (string.Equals(text.Trim(), "EdgePlane", StringComparison.OrdinalIgnoreCase)) return CredentialKind.EdgePlaneSession;
        }
        return inputData;
    }
}
