using NaraAuth.Core.Storage;
using NaraAuth.Core.Tokens;

namespace NaraAuth.Core.Abstractions;

/// <summary>
/// What every operation needs from the outside world, gathered once per cmdlet call. Tests
/// build one with their own environment and clock.
/// </summary>
public sealed class CoreContext
{
    public CoreContext(IEnvironment environment, IClock clock, string currentDirectory)
    {
        Environment = environment;
        Clock = clock;
        CurrentDirectory = currentDirectory;
        Store = new SecureFileStore(environment);
        Validator = new TokenValidator(clock);
    }

    public IEnvironment Environment { get; }
    public IClock Clock { get; }
    /// <summary>PowerShell's current file system location, not the process's.</summary>
    public string CurrentDirectory { get; }
    public SecureFileStore Store { get; }
    public TokenValidator Validator { get; }
}
