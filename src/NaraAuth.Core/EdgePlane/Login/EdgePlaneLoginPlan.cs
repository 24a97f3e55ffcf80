using System;
using System.Threading;
using System.Threading.Tasks;

namespace NaraAuth.Core.EdgePlane.Login;

/// <summary>What the EdgePlane login will do, found by reading only; <see cref="Action"/> is the question for -WhatIf and -Confirm.</summary>
public sealed class EdgePlaneLoginPlan
{
    private readonly Func<bool, CancellationToken, Task<EdgePlaneLoginResult?>> _execute;

    internal EdgePlaneLoginPlan(string target, string? action, Func<bool, CancellationToken, Task<EdgePlaneLoginResult?>> execute)
    {
        Target = target;
        Action = action;
        _execute = execute;
    }

    /// <summary>The session file the login writes.</summary>
    public string Target { get; }
    /// <summary>What will be done; null when a saved session is kept and nothing changes.</summary>
    public string? Action { get; }

    internal Task<EdgePlaneLoginResult?> ExecuteAsync(bool confirmed, CancellationToken cancellationToken) => _execute(confirmed, cancellationToken);
}
