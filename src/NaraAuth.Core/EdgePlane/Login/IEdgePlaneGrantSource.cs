using System.Threading;
using System.Threading.Tasks;
using NaraAuth.Core.Reporting;

namespace NaraAuth.Core.EdgePlane.Login;

/// <summary>How the EdgePlane login gets its one-time grant. Adding a way is adding one class.</summary>
internal interface IEdgePlaneGrantSource
{
    /// <summary>True when a person must take part in a browser.</summary>
    bool NeedsPerson { get; }

    Task<string> GetGrantAsync(CliLoginFlow flow, IReporter reporter, CancellationToken cancellationToken);
}
