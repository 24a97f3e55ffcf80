using System;
using System.IO;
using System.Security.Cryptography;
using System.Text;

namespace NaraAuth.Core.Worker;

public enum WorkerTokenSource
{
    /// <summary>WORKER_AUTH_TOKEN.</summary>
    Environment,
    /// <summary>worker_auth_token in the config file.</summary>
    ConfigFile,
}
