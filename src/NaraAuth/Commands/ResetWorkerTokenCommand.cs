using NaraAuth.Core.Config;
using System;
using System.Management.Automation;
using NaraAuth.Core.Worker;
using NaraAuth.Infrastructure;
using NaraAuth.Mapping;
using NaraAuth.Models;

namespace NaraAuth.Commands;

/// <summary>
/// Rotates the NodeTool worker token: saves a new one to the worker's config file (0600, other
/// keys kept) and returns it together with the previous one, so clients can be switched in stages.
/// </summary>
[Cmdlet(VerbsCommon.Reset, "WorkerToken", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, HelpUri = HelpLinks.Base + "Reset-WorkerToken.md")]
[OutputType(typeof(WorkerTokenRotationResult), typeof(WorkerTokenRotationPlainTextResult))]
public sealed class ResetWorkerTokenCommand : NaraCmdlet
{
    /// <summary>Return the same object with the new and previous tokens as strings instead of SecureStrings.</summary>
    [Parameter]
    public SwitchParameter AsPlainText { get; set; }

    /// <summary>Rotate without asking for confirmation (-WhatIf still only reports).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessNaraRecord()
    {
        var store = new WorkerTokenStore(Context.Environment, Context.Store, Context.CurrentDirectory);
        // High impact, as Revoke-ServerToken: clients holding the old token stop working once the worker restarts.
        if (!ShouldProcessUnlessForced(Force, store.ConfigPath, "Replace the NodeTool worker token with a new one")) return;

        var rotation = store.Rotate(Reporter);
        if (AsPlainText)
        {
            MaskSecretForCi(rotation.Token);
            if (rotation.PreviousToken != null) MaskSecretForCi(rotation.PreviousToken);
        }
        WriteObject(ModelMapping.ToResult(rotation, Context.Clock.UtcNow, AsPlainText));
    }
}
