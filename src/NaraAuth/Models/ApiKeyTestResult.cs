namespace NaraAuth.Models;

/// <summary>The outcome of Test-ApiKey -Hash: whether the key matches, and if not, exactly why.</summary>
public sealed class ApiKeyTestResult
{
    public bool IsValid { get; internal set; }
    public ApiKeyStatus Status { get; internal set; }
    public string? Algorithm { get; internal set; }
    public ApiKeyParameters? Parameters { get; internal set; }
    /// <summary>Why, in a sentence; never contains the key.</summary>
    public string Reason { get; internal set; } = string.Empty;
    /// <summary>For the whitespace outcomes: whether the values without whitespace would match.</summary>
    public bool? TrimmedWouldMatch { get; internal set; }

    public override string ToString() => $"{Status}: {Reason}";
}
