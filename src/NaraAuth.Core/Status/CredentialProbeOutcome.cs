using System.Net.Http;

namespace NaraAuth.Core.Status;

public enum CredentialProbeOutcome
{
    /// <summary>2xx: the server took the credential.</summary>
    Accepted,
    /// <summary>401 or 403: the server refused the credential.</summary>
    Rejected,
    /// <summary>Another status (404, 5xx...): no verdict on the credential.</summary>
    Failed,
    /// <summary>No HTTP answer at all: the server is down or the address is wrong.</summary>
    Unreachable,
}
