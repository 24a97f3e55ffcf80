namespace NaraAuth.Core.Errors;

/// <summary>
/// Mirrors the names of System.Management.Automation.ErrorCategory so Core can classify errors
/// without referencing PowerShell; the cmdlet layer maps by name.
/// </summary>
public enum NaraErrorCategory
{
    NotSpecified,
    InvalidArgument,
    InvalidData,
    InvalidOperation,
    InvalidResult,
    ObjectNotFound,
    OperationStopped,
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
