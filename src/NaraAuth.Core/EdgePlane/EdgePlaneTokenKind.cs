using System.IO;

namespace NaraAuth.Core.EdgePlane;

/// <summary>What kind of bearer EdgePlane is given; only EdgePlane judges it, the kind only words the messages.</summary>
public enum EdgePlaneTokenKind
{
    /// <summary>A CLI-login session token (mcs_...).</summary>
    Session,
    /// <summary>A long-lived service-account token for pipelines (mcs_sa_...).</summary>
    ServiceAccount,
    /// <summary>A JWT from the identity provider, accepted when EdgePlane runs with AUTH_MODE oidc or dual.</summary>
    OidcAccessToken,
    /// <summary>Anything else: sent as it is.</summary>
    Other,
}
