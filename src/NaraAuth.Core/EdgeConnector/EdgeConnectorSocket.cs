using System;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using NaraAuth.Core.Errors;
using NaraAuth.Core.Http;

namespace NaraAuth.Core.EdgeConnector;

/// <summary>
/// Verifies credentials the way the runtime uses them: the WebSocket handshake at
/// /api/edge-connector/ws (docs/protocol.md 1.2). The handshake is sent through the module's one HTTP
/// path rather than ClientWebSocket, which follows a redirect and sends X-Deployment-Secret to
/// wherever it points: here a 3xx is refused like on every other call, a 401 and its reason are
/// seen directly, and the 101 answer is checked (Upgrade, Sec-WebSocket-Accept) before the
/// connection is closed with a normal close frame.
/// </summary>
public sealed class EdgeConnectorSocket
{
    public const string Path = "/api/edge-connector/ws";
    private const string AcceptGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private readonly ApiClient _platform;

    public EdgeConnectorSocket(ApiClient platform) => _platform = platform;

    public async Task VerifyAsync(DeploymentCredentials credentials, CancellationToken cancellationToken)
    {
        var keyBytes = new byte[16];
        using (var random = RandomNumberGenerator.Create()) random.GetBytes(keyBytes);
        var key = Convert.ToBase64String(keyBytes);
        var request = new ApiRequest(HttpMethod.Get, Path)
        {
            // One handshake, as the runtime does; its failures are explained, not repeated.
            RetryUnsafe = false,
            WebSocketKey = key,
            OnUpgraded = (headers, stream, token) => AcceptAndCloseAsync(headers, stream, key, token),
        };
        request.Headers["X-Deployment-Id"] = credentials.DeploymentId;
        request.Headers["X-Deployment-Secret"] = credentials.DeploymentSecret;

        var response = await _platform.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == 101) return;
        if (response.StatusCode == 401)
        {
            throw new NaraAuthException("DeploymentCredentialsRejected", NaraErrorCategory.AuthenticationError,
                Text.DisplayText.EndSentence($"The platform rejected deployment '{credentials.DeploymentId}' (401){(response.ServerReason is { } r ? ": " + r : string.Empty)}"),
                "Check the deployment id and secret on the platform's deployment page; a regenerated secret replaces the old one.",
                credentials.DeploymentId);
        }
        if (response.IsSuccess || response.StatusCode == 400 || response.StatusCode == 426)
        {
            throw HandshakeFailed($"the server did not switch to WebSocket (HTTP {response.StatusCode}{(response.ServerReason is { } why ? ": " + why : string.Empty)})");
        }
        throw response.ToException("verify the deployment credentials");
    }

    /// <summary>RFC 6455 4.1: the answer must upgrade to websocket and prove it read our key.</summary>
    private static async Task AcceptAndCloseAsync(HttpResponseHeaders headers, Stream connection, string key, CancellationToken cancellationToken)
    {
        if (!headers.Upgrade.Any(u => string.Equals(u.Name, "websocket", StringComparison.OrdinalIgnoreCase)))
            throw HandshakeFailed("the 101 answer does not upgrade to 'websocket'");
        if (!headers.Connection.Any(c => string.Equals(c, "Upgrade", StringComparison.OrdinalIgnoreCase)))
            throw HandshakeFailed("the 101 answer lacks 'Connection: Upgrade'");
        string expected;
        using (var sha1 = SHA1.Create())
            expected = Convert.ToBase64String(sha1.ComputeHash(Encoding.ASCII.GetBytes(key + AcceptGuid)));
        var accept = headers.TryGetValues("Sec-WebSocket-Accept", out var values) ? values.FirstOrDefault() : null;
        if (!string.Equals(accept?.Trim(), expected, StringComparison.Ordinal))
            throw HandshakeFailed(accept == null ? "the 101 answer has no Sec-WebSocket-Accept" : "its Sec-WebSocket-Accept does not match the key sent (a proxy or another server answered)");

        // Accepted. Close normally so the platform does not count a broken connection; a lost
        // close frame changes nothing, the credentials were accepted.
        try
        {
            await connection.WriteAsync(CloseFrame(), 0, 8, cancellationToken).ConfigureAwait(false);
            await connection.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>A masked client close frame with status 1000 (normal closure).</summary>
    private static byte[] CloseFrame()
    {
        var mask = new byte[4];
        using (var random = RandomNumberGenerator.Create()) random.GetBytes(mask);
        return new byte[] { 0x88, 0x82, mask[0], mask[1], mask[2], mask[3], (byte)(0x03 ^ mask[0]), (byte)(0xE8 ^ mask[1]) };
    }

    private static NaraAuthException HandshakeFailed(string reason) =>
        new("WebSocketHandshakeFailed", NaraErrorCategory.ProtocolError,
            $"The WebSocket handshake at {Path} failed: {reason}. The deployment credentials were not verified.",
            "Check that the base URL points to the nara platform and that no proxy blocks WebSocket upgrades.", Path);
}
