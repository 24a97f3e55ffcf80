using System.IO;
using System.Security.Cryptography;
using System.Text;

namespace NaraAuth.Core.Worker;

public sealed class WorkerTokenRotation
{
    public WorkerTokenRotation(string token, string? previousToken, string configPath, bool environmentOverrides)
    {
        Token = token;
        PreviousToken = previousToken;
        ConfigPath = configPath;
        EnvironmentOverrides = environmentOverrides;
        // Known from now on, so no server text quoted later in this session can carry it.
        Http.KnownSecrets.Remember(token);
        Http.KnownSecrets.Remember(previousToken);
    }

    public string Token { get; }
    /// <summary>What the file held before; null when it held none.</summary>
    public string? PreviousToken { get; }
    public string ConfigPath { get; }
    /// <summary>WORKER_AUTH_TOKEN is set, so the worker keeps using it instead of the file.</summary>
    public bool EnvironmentOverrides { get; }
}
