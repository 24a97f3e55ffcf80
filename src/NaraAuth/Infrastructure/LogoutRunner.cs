using System;
using NaraAuth.Core.Logout;

namespace NaraAuth.Infrastructure;

/// <summary>
/// Runs a Core logout plan for all three Disconnect- cmdlets: asks ShouldProcess when the plan has
/// something to remove, lets Core carry it out (its lines reach the pipeline through the
/// reporter), and with -PassThru writes the cmdlet's own result type. What is present, what goes
/// and every word said are the plan's.
/// </summary>
internal static class LogoutRunner
{
    public static void Run<TPlan>(NaraCmdlet cmdlet, TPlan plan, bool passThru, Func<TPlan, object> toResult) where TPlan : LogoutPlan
    {
        var confirmed = plan.Action is { } action && cmdlet.ShouldProcess(plan.Target, action);
        cmdlet.RunAsync(ct => plan.ExecuteAsync(confirmed, ct));
        if (passThru) cmdlet.WriteObject(toResult(plan));
    }
}
