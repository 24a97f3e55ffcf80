using System;
using System.Net.Http;
using System.Net.WebSockets;
using System.Threading;
using System.Threading.Tasks;
using NaraAuth.Core.Errors;
using NaraAuth.Core.Http;

namespace NaraAuth.Core.EdgeConnector;

/// <summary>
/// Verifies credentials the way the runtime uses them: the WebSocket handshake at
/// /api/edge-connector/ws (protocol.md 1.2). 101 = accepted, then the socket is closed normally.
/// ClientWebSocket does not expose a refused handshake's status or body on every runtime
/// (.NET Framework, netstandard2.0), so on refusal one plain GET with the same headers asks the
/// server why, giving the same error ids and server text as every other call.
/// </summary>
public sealed class EdgeConnectorSocket
{
    public const string Path = "/api/edge-connector/ws";
    private readonly ApiClient _platform;
    private readonly TimeSpan _timeout;

    public EdgeConnectorSocket(ApiClient platform, TimeSpan? timeout = null)
    {
        _platform = platform;
        _timeout = timeout ?? TimeSpan.FromSeconds(30);
    }

    public async Task VerifyAsync(DeploymentCredentials credentials, CancellationToken cancellationToken)
    {
        var wsUri = new UriBuilder(new Uri(_platform.BaseUrl, Path.TrimStart('/')))
        {
            Scheme = _platform.BaseUrl.Scheme == Uri.UriSchemeHttps ? "wss" : "ws",
        }.Uri;

        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("X-Deployment-Id", credentials.DeploymentId);
        socket.Options.SetRequestHeader("X-Deployment-Secret", credentials.DeploymentSecret);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        try
        {
            await socket.ConnectAsync(wsUri, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException e)
        {
            throw new NaraAuthException("RequestTimedOut", NaraErrorCategory.OperationTimeout,
                $"The WebSocket handshake with {wsUri.GetLeftPart(UriPartial.Authority)} did not complete within {_timeout.TotalSeconds:0} s.",
                "Check the network and any proxy settings.", wsUri.GetLeftPart(UriPartial.Path), e);
        }
        catch (WebSocketException)
        {
            await ExplainRefusalAsync(credentials, cancellationToken).ConfigureAwait(false);
            throw;
        }

        // Accepted (101). Close normally so the platform does not count a broken connection.
        try
        {
            using var closing = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            closing.CancelAfter(TimeSpan.FromSeconds(5));
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "verified", closing.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // The credentials were accepted; a lost close frame changes nothing.
        }
    }

    /// <summary>Asks with a plain GET why the handshake was refused, and throws the matching error.</summary>
    private async Task ExplainRefusalAsync(DeploymentCredentials credentials, CancellationToken cancellationToken)
    {
        var request = new ApiRequest(HttpMethod.Get, Path) { Timeout = _timeout };
        request.Headers["X-Deployment-Id"] = credentials.DeploymentId;
        request.Headers["X-Deployment-Secret"] = credentials.DeploymentSecret;
        var response = await _platform.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == 401)
        {
            throw new NaraAuthException("DeploymentCredentialsRejected", NaraErrorCategory.AuthenticationError,
                $"The platform rejected deployment '{credentials.DeploymentId}' (401){(response.ServerReason is { } r ? ": " + r : ".")}",
                "Check the deployment id and secret on the platform's deployment page; a regenerated secret replaces the old one.",
                credentials.DeploymentId);
        }
        if (!response.IsSuccess && response.StatusCode != 400 && response.StatusCode != 426)
            throw response.ToException("verify the deployment credentials");
        throw new NaraAuthException("WebSocketHandshakeFailed", NaraErrorCategory.ProtocolError,
            $"The platform did not accept the WebSocket handshake at {Path} (a plain request answered HTTP {response.StatusCode}).",
            "Check that the base URL points to the nara platform and that no proxy blocks WebSocket upgrades.", Path);
    }
}
