
namespace NaraAuth.Core.EdgeConnector.Login;

/// <summary>How a Connect-EdgeConnector call ended.</summary>
public enum EdgeConnectorLoginStatus
{
    /// <summary>A new token was validated and saved.</summary>
    Connected,
    /// <summary>The stored token already did the job and was kept.</summary>
    AlreadyConnected,
    /// <summary>Deployment credentials passed the platform's handshake.</summary>
    Verified,
}
