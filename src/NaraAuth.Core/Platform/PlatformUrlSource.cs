
namespace NaraAuth.Core.Platform;

/// <summary>Who named the platform a call goes to: the invoker (parameter, environment, default) or an installation's config.json.</summary>
public enum PlatformUrlSource
{
    Parameter,
    EnvironmentVariable,
    ConfigFile,
    Default,
}
