using System;
using NaraAuth.Core.Abstractions;
using NaraAuth.Core.Errors;
using NaraAuth.Core.Tokens;
using NaraAuth.Core.Config;

namespace NaraAuth.Core.Platform;

/// <summary>
/// The bearer credential for a platform call: an explicit -Token, else NARA_TOKEN, else the stored
/// Edge Connector token. A JWT is checked offline first, so an expired login fails with a clear
/// "log in again" error before anything is sent; a server token (nara_tk_...) is opaque and only
/// the platform can judge it.
/// </summary>
public sealed class PlatformCredential
{
    public const string ServerTokenPrefix = "nara_tk_";

    private PlatformCredential(string value, CredentialSource source, string description, JwtInfo? jwt, TokenLocation? location)
    {
        Value = CredentialText.Check(value, $"The credential from {description}", "TokenInvalidCharacters");
        Source = source;
        Description = description;
        Jwt = jwt;
        Location = location;
        // Known from now on, so no server text quoted later in this session can carry it.
        Http.KnownSecrets.Remember(value);
    }

    /// <summary>The bearer value. Never logged.</summary>
    public string Value { get; }
    public CredentialSource Source { get; }
    /// <summary>Where it came from, for messages ("NARA_TOKEN", "the token file '...'"); never the value.</summary>
    public string Description { get; }
    /// <summary>The decoded user JWT; null for a server token or another opaque credential.</summary>
    public JwtInfo? Jwt { get; }
    /// <summary>The token file location (and with it config.json) when the stored token was used or looked for.</summary>
    public TokenLocation? Location { get; }
    public bool IsServerToken => Value.StartsWith(ServerTokenPrefix, StringComparison.Ordinal);

    /// <param name="explicitToken">The -Token argument (already plain text), or null.</param>
    /// <param name="installPath">-InstallPath, for finding the stored token and config.json.</param>
    /// <param name="destination">
    /// The platform the call goes to; the stored login is used only when it may go there
    /// (<see cref="StoredLoginDestination"/>). Null: the platform named by NARA_BASE_URL,
    /// config.json or the default.
    /// </param>
    public static PlatformCredential Resolve(string? explicitToken, string? installPath, CoreContext context, PlatformTarget? destination = null)
    {
        if (explicitToken != null)
        {
            if (string.IsNullOrWhiteSpace(explicitToken))
                throw CredentialText.EmptyToken($"Pass a server token or a JWT, or leave -Token out to use {EnvironmentVariables.NaraToken} or the stored login.");
            return FromValue(explicitToken.Trim(), CredentialSource.Parameter, "the -Token parameter", context);
        }
        if (context.Environment.GetVariable(EnvironmentVariables.NaraToken) is { } fromEnv && !string.IsNullOrWhiteSpace(fromEnv))
            return FromValue(fromEnv.Trim(), CredentialSource.EnvironmentVariable, EnvironmentVariables.NaraToken, context);

        var location = TokenLocation.Resolve(context.Environment, null, installPath, context.CurrentDirectory);
        StoredToken stored;
        try
        {
            stored = StoredToken.Read(location, context.Store, context.Validator, new TokenValidationOptions());
        }
        catch (NaraAuthException e) when (e.ErrorId == ErrorIds.TokenFileNotFound)
        {
            throw new NaraAuthException("NoCredential", NaraErrorCategory.AuthenticationError,
                $"No credential to call the platform with: no -Token, no {EnvironmentVariables.NaraToken}, and no token file at '{location.Path}'.",
                $"Log in with Connect-EdgeConnector, set {EnvironmentVariables.NaraToken} to a server token, or pass -Token.", location.Path, e);
        }
        // Checked before the credential exists as a value anyone could send.
        StoredLoginDestination.Check(stored.File, location.Path, destination ?? PlatformUrl.Choose(null, context.Environment, () => location.Config));
        return new PlatformCredential(stored.Jwt.Raw, CredentialSource.TokenFile, $"the token file '{location.Path}'", stored.Jwt, location);
    }

    /// <summary>For tests and callers that already hold the value.</summary>
    public static PlatformCredential FromValue(string value, CredentialSource source, string description, CoreContext context)
    {
        // Before the JWT check: a line break inside is a copy mistake, not a malformed token.
        CredentialText.Check(value, $"The credential from {description}", "TokenInvalidCharacters");
        if (!LooksLikeJwt(value)) return new PlatformCredential(value, source, description, null, null);
        JwtInfo jwt;
        try
        {
            jwt = context.Validator.ValidateOffline(value, new TokenValidationOptions());
        }
        catch (NaraAuthException e)
        {
            // Say where the bad token came from; the value itself never goes into a message.
            throw new NaraAuthException(e.ErrorId, e.Category, $"{e.Message} (token from {description})", e.RecommendedAction, description, e);
        }
        return new PlatformCredential(value, source, description, jwt, null);
    }

    /// <summary>A JWT is three base64url segments whose header starts with '{"' (eyJ...).</summary>
    public static bool LooksLikeJwt(string value) =>
        value.StartsWith("eyJ", StringComparison.Ordinal) && value.Split('.').Length == 3;
}
