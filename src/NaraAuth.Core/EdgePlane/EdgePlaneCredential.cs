using System;
using System.IO;
using NaraAuth.Core.Abstractions;
using NaraAuth.Core.Config;
using NaraAuth.Core.Errors;
using NaraAuth.Core.Storage;
using NaraAuth.Core.Http;
using NaraAuth.Core.Platform;

namespace NaraAuth.Core.EdgePlane;

/// <summary>
/// The bearer credential of an EdgePlane call and the one address it may go to: -Token, else
/// EP_TOKEN, else the saved CLI-login session. A token from -Token or EP_TOKEN goes only to the
/// EdgePlane the user named (-BaseUrl or EP_BASE_URL), never to the base_url a session file
/// names, unless it is that session's own token: a session file is the CLI's record of where
/// its own token belongs, not a statement about other credentials.
/// </summary>
public sealed class EdgePlaneCredential
{
    public const string ServiceAccountPrefix = "mcs_sa_";
    public const string SessionPrefix = "mcs_";

    private EdgePlaneCredential(string value, EdgePlaneCredentialSource source, string description, Uri baseUrl, string? sessionPath)
    {
        Value = value;
        Source = source;
        Description = description;
        BaseUrl = baseUrl;
        SessionPath = sessionPath;
        Kind = KindOf(value);
        // Known from now on, so no server text quoted later in this session can carry it.
        KnownSecrets.Remember(value);
    }

    /// <summary>The bearer value. Never logged.</summary>
    public string Value { get; }
    public EdgePlaneCredentialSource Source { get; }
    public EdgePlaneTokenKind Kind { get; }
    /// <summary>Where it came from, for messages ("EP_TOKEN", "the session in '...'"); never the value.</summary>
    public string Description { get; }
    /// <summary>The only EdgePlane this credential is sent to.</summary>
    public Uri BaseUrl { get; }
    /// <summary>The session file that was read or looked at; null when none was.</summary>
    public string? SessionPath { get; }

    /// <summary>"a service-account token from EP_TOKEN", for messages.</summary>
    public string Summary => $"{KindText(Kind)} from {Description}";

    /// <param name="explicitToken">The -Token argument (already plain text), or null when not given.</param>
    /// <param name="explicitBaseUrl">The -BaseUrl argument, or null.</param>
    public static EdgePlaneCredential Resolve(string? explicitToken, string? explicitBaseUrl, CoreContext context)
    {
        var sessionPath = EdgePlaneSession.DefaultPath(context.Environment);
        if (explicitToken != null)
        {
            if (string.IsNullOrWhiteSpace(explicitToken))
                throw CredentialText.EmptyToken($"Pass a service-account token, an OIDC access token or a session token, or leave -Token out to use {EnvironmentVariables.EdgePlaneToken} or the saved session.");
            return Named(explicitToken.Trim(), EdgePlaneCredentialSource.Parameter, "the -Token parameter", explicitBaseUrl, sessionPath, context);
        }
        if (context.Environment.GetVariable(EnvironmentVariables.EdgePlaneToken) is { } fromEnv && !string.IsNullOrWhiteSpace(fromEnv))
            return Named(fromEnv.Trim(), EdgePlaneCredentialSource.EnvironmentVariable, EnvironmentVariables.EdgePlaneToken, explicitBaseUrl, sessionPath, context);

        EdgePlaneSession session;
        try
        {
            session = EdgePlaneSession.Read(context.Store, sessionPath);
        }
        catch (NaraAuthException e) when (e.ErrorId == SecretFileKind.EdgePlaneSession.NotFoundId)
        {
            throw new NaraAuthException(e.ErrorId, e.Category,
                $"No EdgePlane credential: no -Token, no {EnvironmentVariables.EdgePlaneToken}, and no saved session at '{sessionPath}'.",
                $"Log in with Invoke-OidcCliLogin, or in a pipeline set {EnvironmentVariables.EdgePlaneToken} to a service-account token from a secret variable.", sessionPath, e);
        }
        var baseUrl = EdgePlaneUrl.ForSession(explicitBaseUrl, session, sessionPath, context.Environment);
        return new EdgePlaneCredential(session.Token, EdgePlaneCredentialSource.SessionFile, $"the session in '{sessionPath}'", baseUrl, sessionPath);
    }

    /// <summary>A token the user handed over: checked, then bound to the EdgePlane the user named.</summary>
    private static EdgePlaneCredential Named(string value, EdgePlaneCredentialSource source, string description, string? explicitBaseUrl, string sessionPath, CoreContext context)
    {
        CredentialText.Check(value, $"The credential from {description}", "TokenInvalidCharacters");
        KnownSecrets.Remember(value);
        if (explicitBaseUrl != null || !string.IsNullOrWhiteSpace(context.Environment.GetVariable(EnvironmentVariables.EdgePlaneBaseUrl)))
            return new EdgePlaneCredential(value, source, description, EdgePlaneUrl.Resolve(explicitBaseUrl, context.Environment), null);

        // Only the session's own token may follow the session file to its base_url.
        var session = OwnSession(value, sessionPath, context);
        if (session != null && !string.IsNullOrWhiteSpace(session.BaseUrl))
            return new EdgePlaneCredential(value, source, description, BaseUrlPolicy.Parse(session.BaseUrl, $"base_url in '{sessionPath}'"), sessionPath);

        throw new NaraAuthException("EdgePlaneUrlMissing", NaraErrorCategory.InvalidArgument,
            $"No EdgePlane address was given for the token from {description}: pass -BaseUrl or set {EnvironmentVariables.EdgePlaneBaseUrl}. " +
            $"A token given by -Token or {EnvironmentVariables.EdgePlaneToken} is sent only to the EdgePlane you name, never to the address in a saved session file.",
            $"For example: $env:{EnvironmentVariables.EdgePlaneBaseUrl} = 'https://edgeplane.example.com'", EnvironmentVariables.EdgePlaneBaseUrl);
    }

    private static EdgePlaneSession? OwnSession(string value, string sessionPath, CoreContext context)
    {
        if (!File.Exists(sessionPath)) return null;
        try
        {
            var session = EdgePlaneSession.Read(context.Store, sessionPath);
            return string.Equals(session.Token, value, StringComparison.Ordinal) ? session : null;
        }
        catch (NaraAuthException)
        {
            // A damaged or unsafe session file says nothing about where this token belongs.
            return null;
        }
    }

    public static EdgePlaneTokenKind KindOf(string value) =>
        value.StartsWith(ServiceAccountPrefix, StringComparison.Ordinal) ? EdgePlaneTokenKind.ServiceAccount
        : value.StartsWith(SessionPrefix, StringComparison.Ordinal) ? EdgePlaneTokenKind.Session
        : PlatformCredential.LooksLikeJwt(value) ? EdgePlaneTokenKind.OidcAccessToken
        : EdgePlaneTokenKind.Other;

    public static string KindText(EdgePlaneTokenKind kind) => kind switch
    {
        EdgePlaneTokenKind.ServiceAccount => "a service-account token",
        EdgePlaneTokenKind.Session => "a session token",
        EdgePlaneTokenKind.OidcAccessToken => "an OIDC access token",
        _ => "a token",
    };
}
