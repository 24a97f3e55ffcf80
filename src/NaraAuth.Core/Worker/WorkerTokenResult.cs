using System.IO;
using System.Security.Cryptography;
using System.Text;

namespace NaraAuth.Core.Worker;

public sealed class WorkerTokenResult
{
    public WorkerTokenResult(string token, WorkerTokenSource source, string configPath)
    {
        Token = token;
        Source = source;
        ConfigPath = configPath;
        // Known from now on, so no server text quoted later in this session can carry it.
        Http.KnownSecrets.Remember(token);
    }

    public string Token { get; }
    public WorkerTokenSource Source { get; }
    public string ConfigPath { get; }
}
