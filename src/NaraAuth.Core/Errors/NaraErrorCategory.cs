namespace NaraAuth.Core.Errors;

/// <summary>
/// Mirrors the names of System.Management.Automation.ErrorCategory so Core can classify errors
/// without referencing PowerShell; the cmdlet layer maps by name.
/// </summary>
public enum NaraErrorCategory
{
    /// <summary>The zero value: a category nobody set never reads as a real one.</summary>
    NotSpecified,
    InvalidArgument,
    InvalidData,
    InvalidOperation,
    ObjectNotFound,
    OperationTimeout,
    PermissionDenied,
    ResourceUnavailable,
    ResourceExists,
    ReadError,
    WriteError,
    SecurityError,
    ProtocolError,
    ConnectionError,
    AuthenticationError,
    LimitsExceeded,
    NotEnabled,
    InvalidType,
}
