using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using NaraAuth.Core.Errors;
using NaraAuth.Core.Http;
using NaraAuth.Core.Storage;

namespace NaraAuth.Core.EdgeConnector;

/// <summary>docs/protocol.md 1.5: the organization's default bundle, saved unchanged beside the token.</summary>
public static class BundleSync
{
    public const string Path = "/api/edge-connector/bundles/default";

    /// <summary>Downloads the bundle; checks it is JSON but keeps the server's bytes exactly.</summary>
    public static async Task<byte[]> DownloadAsync(ApiClient platform, string jwt, CancellationToken cancellationToken)
    {
        var response = await platform.SendAsync(new ApiRequest(HttpMethod.Get, Path) { Bearer = jwt }, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccess("download the default bundle");
        response.Json().Dispose(); // throws MalformedServerResponse when it is not JSON
        return Encoding.UTF8.GetBytes(response.Body);
    }

    public static void Save(SecureFileStore store, string path, byte[] bundle, RuntimeAccount? owner = null) =>
        store.WriteAllBytes(path, bundle, kind: null, isExpectedKind: null, force: false, owner);

    public static NaraAuthException Failed(NaraAuthException cause, string tokenPath) =>
        new("BundleSyncFailed", cause.Category,
            $"The token was saved to '{tokenPath}', but the default bundle could not be synced: {cause.Message}",
            "Run Connect-EdgeConnector again later, or pass -SkipBundleSync.", Path, cause);
}
