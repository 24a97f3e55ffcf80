using System.Linq;
using NaraAuth.Core.EdgeConnector;
using NaraAuth.Core.Logout;
using NaraAuth.Core.Sessions;
using NaraAuth.Models;

namespace NaraAuth.Mapping;

internal static partial class ModelMapping
{
    /// <summary>What Disconnect-EdgeConnector did, file by file.</summary>
    public static EdgeConnectorDisconnection ToDisconnection(EdgeConnectorLogout logout)
    {
        LogoutFile? Of(string kind) => logout.Files.FirstOrDefault(f => f.Kind == kind);
        var credentials = Of(EdgeConnectorLogout.CredentialsKind);
        return new EdgeConnectorDisconnection
        {
            Status = StatusOf(logout),
            TokenPath = logout.Location.Path,
            TokenRemoved = Of(EdgeConnectorLogout.TokenKind)!.Removed,
            BundlePath = logout.Location.BundlePath,
            BundleRemoved = Of(EdgeConnectorLogout.BundleKind)!.Removed,
            CredentialsPath = credentials?.Path,
            CredentialsRemoved = credentials?.Removed ?? false,
            Removed = logout.Removed.ToArray(),
        };
    }

    /// <summary>What Disconnect-EdgePlane or Disconnect-OidcSession did with one saved login, the provider's part included.</summary>
    public static SessionDisconnection ToDisconnection(SavedLoginLogout logout) => new()
    {
        Status = StatusOf(logout),
        Path = logout.Session,
        Removed = logout.Removed.ToArray(),
        RevokedAtProvider = logout.RevokedAtProvider.ToArray(),
        RevocationProblem = logout.RevocationProblem,
    };

    private static DisconnectStatus StatusOf(LogoutPlan logout) => ModelEnum.From<DisconnectStatus>(logout.Status!.Value);
}
