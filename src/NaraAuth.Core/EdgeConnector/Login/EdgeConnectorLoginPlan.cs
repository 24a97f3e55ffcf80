using System;
using System.Threading;
using System.Threading.Tasks;

namespace NaraAuth.Core.EdgeConnector.Login;

/// <summary>
/// What a login will change, found out by reading only (files, and the platform's read endpoints):
/// the question to put to the person (-WhatIf, -Confirm) before anything is written or a browser
/// opened. Carrying it out is <see cref="EdgeConnectorLogin.ExecuteAsync"/>.
/// </summary>
public sealed class EdgeConnectorLoginPlan
{
    private readonly Func<bool, CancellationToken, Task<EdgeConnectorLoginResult?>> _execute;

    internal EdgeConnectorLoginPlan(EdgeConnectorLoginMode mode, string target, string? action, Func<bool, CancellationToken, Task<EdgeConnectorLoginResult?>> execute)
    {
        Mode = mode;
        Target = target;
        Action = action;
        _execute = execute;
    }

    public EdgeConnectorLoginMode Mode { get; }
    /// <summary>The file (or files) the action changes.</summary>
    public string Target { get; }
    /// <summary>What will be done, for ShouldProcess; null when nothing needs asking (a kept token, a verify-only deployment login).</summary>
    public string? Action { get; }

    internal Task<EdgeConnectorLoginResult?> ExecuteAsync(bool confirmed, CancellationToken cancellationToken) => _execute(confirmed, cancellationToken);
}
