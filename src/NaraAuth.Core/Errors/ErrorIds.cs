namespace NaraAuth.Core.Errors;

/// <summary>
/// Error ids that code decides on (a catch that recovers, a fallback to another login), named once
/// so the place that throws and the place that catches can never drift apart. Every id is stable
/// API (docs/decisions/output-and-errors.md); ids nobody branches on stay at their throw site.
/// Ids of a secret file kind are <see cref="Storage.SecretFileKind.NotFoundId"/> and its siblings.
/// </summary>
public static class ErrorIds
{
    /// <summary>HTTP 403 from any service.</summary>
    public const string Forbidden = "Forbidden";
    /// <summary>HTTP 404 from any service.</summary>
    public const string NotFound = "NotFound";
    public const string ServerTokenNotFound = "ServerTokenNotFound";
    public const string TokenFileNotFound = "TokenFileNotFound";
    public const string TokenExpired = "TokenExpired";
    /// <summary>A path parameter PowerShell could not resolve (a -Token value that is no path is a token instead).</summary>
    public const string PathNotResolved = "PathNotResolved";
    public const string WorkerTokenNotFound = "WorkerTokenNotFound";
    public const string BrowserNotAvailable = "BrowserNotAvailable";
    public const string UnsignedJwt = "UnsignedJwt";
    public const string MalformedJwt = "MalformedJwt";
    /// <summary>A server answered with a redirect, which is never followed (a logout takes it as accepted).</summary>
    public const string RedirectRefused = "RedirectRefused";
}
