using System.Runtime.CompilerServices;

namespace NaraAuth.Core.Oidc;

public sealed class OidcLoginResult
{
    public OidcLoginResult(OidcSession session, string path, OidcLoginSource source)
    {
        Session = session;
        Path = path;
        Source = source;
    }

    public OidcSession Session { get; }
    public string Path { get; }
    public OidcLoginSource Source { get; }
}
