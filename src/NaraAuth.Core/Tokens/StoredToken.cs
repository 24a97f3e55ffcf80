using NaraAuth.Core.Errors;
using NaraAuth.Core.Storage;

namespace NaraAuth.Core.Tokens;

/// <summary>The Edge Connector token as found on disk, decoded and checked offline.</summary>
public sealed class StoredToken
{
    private StoredToken(TokenLocation location, TokenFile file, JwtInfo jwt)
    {
        Location = location;
        File = file;
        Jwt = jwt;
    }

    public TokenLocation Location { get; }
    public TokenFile File { get; }
    public JwtInfo Jwt { get; }

    public static StoredToken Read(TokenLocation location, SecureFileStore store, TokenValidator validator, TokenValidationOptions options)
    {
        var file = TokenFile.Read(store, location.Path);
        JwtInfo jwt;
        try
        {
            jwt = validator.ValidateOffline(file.Token, options);
        }
        catch (NaraAuthException e)
        {
            // Say which file holds the bad token: the bare JWT error would not tell the user.
            throw new NaraAuthException(e.ErrorId, e.Category, $"{e.Message} (token file '{location.Path}')",
                e.RecommendedAction, location.Path, e);
        }
        return new StoredToken(location, file, jwt);
    }
}
