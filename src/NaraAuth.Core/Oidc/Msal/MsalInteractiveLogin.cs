using System;
using System.Threading;
using System.Threading.Tasks;
using NaraAuth.Core.Abstractions;
using NaraAuth.Core.Errors;
using NaraAuth.Core.Oidc.Browser;

namespace NaraAuth.Core.Oidc.Msal;

/// <summary>Interactive authorization code + PKCE login through MSAL. The only class that names MSAL types.</summary>
internal static class MsalInteractiveLogin
{
    public static Task<(OidcTokens, string?)> RunAsync(CoreContext context, OidcSettings settings, OidcProviderMetadata provider, IBrowserLauncher browser, CancellationToken cancellationToken) =>
        throw new NaraAuthException("OidcInteractiveNotAvailable", NaraErrorCategory.NotEnabled,
            "Interactive browser login to the identity provider is not available in this build.",
            "Use -UseDeviceCode.");
}
