namespace NaraAuth.Emulator;

/// <summary>
/// What the emulator prints at start: everything a newcomer needs to use it as a tool (where to
/// point the module, the approval page, the demo deployment, the OIDC client, how to stop it).
/// The first line stays "NaraAuth emulator listening on URL": scripts read the port from it.
/// </summary>
public static class EmulatorBanner
{
    public static IReadOnlyList<string> Lines(EmulatorServer server)
    {
        var state = server.State;
        var baseUrl = server.BaseUrl.ToString().TrimEnd('/');
        var lines = new List<string>
        {
            $"NaraAuth emulator listening on {server.BaseUrl}",
            // Each shell's own syntax, labelled, so a line can be pasted as it is.
            $"  PowerShell:      $env:NARA_BASE_URL='{baseUrl}'; $env:EP_BASE_URL='{baseUrl}'   (EP_BASE_URL for the EdgePlane login)",
            $"  bash:            export NARA_BASE_URL='{baseUrl}' EP_BASE_URL='{baseUrl}'",
            $"  Approval page:   {baseUrl}/desktop/approve?code=CODE   (Connect-EdgeConnector shows the code and opens this page)",
        };
        // The demo pair is printed in full: it is a fixed value of this local fake, not a secret of any platform.
        foreach (var deployment in state.EdgeConnector.Deployments.OrderBy(d => d.Key, StringComparer.Ordinal))
        {
            lines.Add($"  Demo deployment (the emulator's built-in pair), in PowerShell: $env:DEPLOYMENT_ID='{deployment.Key}'; $env:DEPLOYMENT_SECRET='{deployment.Value}'; Connect-EdgeConnector -Deployment");
            lines.Add($"  Demo deployment, in bash: export DEPLOYMENT_ID='{deployment.Key}' DEPLOYMENT_SECRET='{deployment.Value}'; pwsh -c 'Connect-EdgeConnector -Deployment'");
        }
        foreach (var client in state.Oidc.Clients.OrderBy(c => c, StringComparer.Ordinal))
            lines.Add($"  OIDC provider:   -Authority {baseUrl}/oidc -ClientId {client} -UseDeviceCode");
        if (state.Options.PreApprove) lines.Add("  browser logins are approved automatically (--pre-approve)");
        lines.Add("Press Ctrl+C to stop.");
        return lines;
    }
}
