
namespace NaraAuth.Core.EdgePlane.Login;

/// <summary>The session saved (or kept), and where.</summary>
public sealed class EdgePlaneLoginResult
{
    internal EdgePlaneLoginResult(EdgePlaneSession session, string path, bool kept)
    {
        Session = session;
        Path = path;
        Kept = kept;
    }

    public EdgePlaneSession Session { get; }
    public string Path { get; }
    /// <summary>A saved session already did the job: nothing was changed.</summary>
    public bool Kept { get; }
}
