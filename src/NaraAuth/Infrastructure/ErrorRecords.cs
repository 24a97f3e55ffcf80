using System;
using System.Management.Automation;
using NaraAuth.Core.Errors;

namespace NaraAuth.Infrastructure;

/// <summary>Turns Core's exceptions into ErrorRecords with stable FullyQualifiedErrorIds.</summary>
internal static class ErrorRecords
{
    public static ErrorRecord From(NaraAuthException exception)
    {
        var record = new ErrorRecord(exception, exception.ErrorId, MapCategory(exception.Category), exception.Target);
        if (exception.RecommendedAction != null)
            record.ErrorDetails = new ErrorDetails(exception.Message) { RecommendedAction = exception.RecommendedAction };
        return record;
    }

    public static ErrorCategory MapCategory(NaraErrorCategory category) =>
        Enum.TryParse<ErrorCategory>(category.ToString(), out var mapped) ? mapped : ErrorCategory.NotSpecified;
}
