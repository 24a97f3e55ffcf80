using System.Threading;
using System.Threading.Tasks;

namespace NaraAuth.Core.EdgeConnector.Login;

/// <summary>
/// One way of logging the Edge Connector in. Adding a mode is adding one class: it plans by
/// reading only, and its plan carries out the rest (through <see cref="EdgeConnectorLoginSteps"/>
/// for what the token modes share).
/// </summary>
internal interface IEdgeConnectorLoginMode
{
    Task<EdgeConnectorLoginPlan> PlanAsync(EdgeConnectorLoginSteps steps, CancellationToken cancellationToken);
}
