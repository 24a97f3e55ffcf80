using System;
using System.Management.Automation;
using NaraAuth.Core.Errors;

namespace NaraAuth.Infrastructure;

/// <summary>Turns Core's exceptions into ErrorRecords with stable FullyQualifiedErrorIds.</summary>
internal static class ErrorRecords
{
    /// <param name="workingOn">What the cmdlet was working on (a file, the service it calls): the
    /// TargetObject when the error itself names nothing, so every record says what it concerns.</param>
    public static ErrorRecord From(NaraAuthException exception, object? workingOn = null)
    {
        var record = new ErrorRecord(exception, exception.ErrorId, MapCategory(exception.Category), exception.Target ?? workingOn);
        if (exception.RecommendedAction != null)
            record.ErrorDetails = new ErrorDetails(exception.Message) { RecommendedAction = exception.RecommendedAction };
        return record;
    }

    public static ErrorCategory MapCategory(NaraErrorCategory category) =>
        Enum.TryParse<ErrorCategory>(category.ToString(), out var mapped) ? mapped : ErrorCategory.NotSpecified;
}
