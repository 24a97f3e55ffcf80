using System.IO;
using System.Text;
using System.Text.Json;
using NaraAuth.Core.Config;

namespace NaraAuth.Core.EdgeConnector;

/// <summary>Where deployment credentials came from (docs/protocol.md 1.2 order).</summary>
public enum DeploymentCredentialSource
{
    Parameters,
    EnvironmentVariables,
    CredentialsFile,
}
