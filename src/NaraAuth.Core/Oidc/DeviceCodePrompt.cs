using System;
using System.Text.Json;

namespace NaraAuth.Core.Oidc;

/// <summary>What the person must do: open the URI and enter the code. Not secret: it is shown on screen.</summary>
public sealed class DeviceCodePrompt
{
    public DeviceCodePrompt(string userCode, Uri verificationUri, Uri? verificationUriComplete, DateTimeOffset expiresAt)
    {
        UserCode = userCode;
        VerificationUri = verificationUri;
        VerificationUriComplete = verificationUriComplete;
        ExpiresAt = expiresAt;
    }

    public string UserCode { get; }
    public Uri VerificationUri { get; }
    public Uri? VerificationUriComplete { get; }
    public DateTimeOffset ExpiresAt { get; }
}
