using NaraAuth.Core.Reporting;
using NaraAuth.Core.Storage;
using NaraAuth.Core.Tokens;

namespace NaraAuth.Core.Abstractions;

/// <summary>
/// What every operation needs from the outside world, gathered once per cmdlet call. Tests
/// build one with their own environment and clock.
/// </summary>
public sealed class CoreContext
{
    /// <param name="reporter">The call's reporter: the store warns through it when a secret file it reads is open to others.</param>
    public CoreContext(IEnvironment environment, IClock clock, string currentDirectory, IReporter? reporter = null)
    {
        Environment = environment;
        Clock = clock;
        CurrentDirectory = currentDirectory;
        Reporter = reporter ?? Reporting.Reporter.None;
        Store = new SecureFileStore(environment, Reporter);
        Validator = new TokenValidator(clock);
    }

    public IEnvironment Environment { get; }
    public IClock Clock { get; }
    /// <summary>Where this call's warnings and lines for the person go.</summary>
    public IReporter Reporter { get; }
    /// <summary>PowerShell's current file system location, not the process's.</summary>
    public string CurrentDirectory { get; }
    public SecureFileStore Store { get; }
    public TokenValidator Validator { get; }
}
