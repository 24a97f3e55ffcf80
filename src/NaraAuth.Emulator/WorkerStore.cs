using System.Security.Cryptography;
using System.Text;

namespace NaraAuth.Emulator;

/// <summary>The emulated NodeTool worker (docs/protocol.md 3): the static token it accepts.</summary>
public sealed class WorkerStore
{
    public const string MissingHeader = "Authorization header required. Use 'Authorization: Bearer YOUR_TOKEN'";
    public const string MalformedHeader = "Invalid authorization header format. Use 'Authorization: Bearer YOUR_TOKEN'";
    public const string WrongToken = "Invalid authentication token";

    /// <summary>The worker's token (what WORKER_AUTH_TOKEN or deployment.yaml would give it).</summary>
    public string Token { get; set; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>
    /// Simulates a reverse proxy in front of the worker that drops the Authorization header (a
    /// real cause of "header required" although the client sent one).
    /// </summary>
    public bool ProxyStripsAuthorization { get; set; }

    /// <summary>Null when the Authorization header carries the token; else the worker's 401 detail.</summary>
    public string? Check(string? authorizationHeader)
    {
        if (ProxyStripsAuthorization || string.IsNullOrEmpty(authorizationHeader)) return MissingHeader;
        // As the worker (Python) does: header.split() must give exactly "Bearer" and the token.
        var parts = authorizationHeader.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2 || !parts[0].Equals("Bearer", StringComparison.OrdinalIgnoreCase))
            return MalformedHeader;
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(parts[1]), Encoding.UTF8.GetBytes(Token)) ? null : WrongToken;
    }
}
