using System.Globalization;
using System.Text;

namespace NaraAuth.ApiKeys;

internal sealed class ParsedHash
{
    public ParsedHash(ApiKeyStatus status, string? problem, string? algorithm, ScryptParameters? parameters, byte[]? salt, byte[]? hash)
    {
        Status = status;
        Problem = problem;
        Algorithm = algorithm;
        Parameters = parameters;
        Salt = salt;
        Hash = hash;
    }

    public static ParsedHash Fail(ApiKeyStatus status, string problem, string? algorithm = null, ScryptParameters? parameters = null) =>
        new(status, problem, algorithm, parameters, null, null);

    public bool Ok => Problem == null;
    public ApiKeyStatus Status { get; }
    public string? Problem { get; }
    public string? Algorithm { get; }
    public ScryptParameters? Parameters { get; }
    public byte[]? Salt { get; }
    public byte[]? Hash { get; }
}
