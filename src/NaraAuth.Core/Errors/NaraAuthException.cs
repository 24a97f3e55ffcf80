using System;

namespace NaraAuth.Core.Errors;

/// <summary>
/// The one exception type Core throws for anything a user can act on. ErrorId becomes the
/// FullyQualifiedErrorId of the ErrorRecord, so it must be stable. Messages never contain a
/// secret: callers pass only non-secret facts (paths, ids, server text). Message, recommended
/// action and a text target are written without escape sequences or control characters, so no
/// server text quoted in one can repaint the console, whoever built the message.
/// </summary>
public class NaraAuthException : Exception
{
    public NaraAuthException(string errorId, NaraErrorCategory category, string message,
        string? recommendedAction = null, object? target = null, Exception? inner = null)
        : base(Text.DisplayText.ForConsole(message), inner)
    {
        ErrorId = errorId;
        Category = category;
        RecommendedAction = recommendedAction == null ? null : Text.DisplayText.ForConsole(recommendedAction);
        Target = target is string text ? Text.DisplayText.ForConsole(text) : target;
    }

    public string ErrorId { get; }
    public NaraErrorCategory Category { get; }
    public string? RecommendedAction { get; }
    public object? Target { get; }

    /// <summary>
    /// Whether trying the same call again may succeed (no answer in time, connection lost). Set
    /// by the HTTP path where the failure is classified, so callers ask the error, not its id.
    /// </summary>
    public bool IsTransient { get; set; }
}
