namespace NaraAuth.Core.Logout;

/// <summary>One file a logout removes, and whether it was there to remove and is now gone.</summary>
public sealed class LogoutFile
{
    public LogoutFile(string kind, string path, bool exists)
    {
        Kind = kind;
        Path = path;
        Exists = exists;
    }

    /// <summary>What the file is to its logout (a token file, a bundle, a session file, MSAL's cache); the plan words it.</summary>
    public string Kind { get; }
    public string Path { get; }
    /// <summary>It was there when the logout was planned.</summary>
    public bool Exists { get; }
    public bool Removed { get; internal set; }
}
