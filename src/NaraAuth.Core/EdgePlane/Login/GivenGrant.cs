using System.Threading;
using System.Threading.Tasks;
using NaraAuth.Core.Reporting;

namespace NaraAuth.Core.EdgePlane.Login;

/// <summary>-GrantId: a login finished in a browser elsewhere.</summary>
internal sealed class GivenGrant : IEdgePlaneGrantSource
{
    private readonly string _grantId;
    public GivenGrant(string grantId) => _grantId = grantId;
    public bool NeedsPerson => false;
    public Task<string> GetGrantAsync(CliLoginFlow flow, IReporter reporter, CancellationToken cancellationToken) => Task.FromResult(_grantId);
}
