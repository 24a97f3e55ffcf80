using System;
using System.Runtime.InteropServices;
using System.Management.Automation;
using System.Security;

namespace NaraAuth.Infrastructure;

/// <summary>SecureString conversions, kept in one place so plain text is handled deliberately.</summary>
internal static class SecretText
{
    public static SecureString ToSecureString(string value)
    {
        var secure = new SecureString();
        foreach (var c in value) secure.AppendChar(c);
        secure.MakeReadOnly();
        return secure;
    }

    public static string ToPlainText(SecureString value)
    {
        var pointer = IntPtr.Zero;
        try
        {
            pointer = Marshal.SecureStringToGlobalAllocUnicode(value);
            return Marshal.PtrToStringUni(pointer) ?? string.Empty;
        }
        finally
        {
            if (pointer != IntPtr.Zero) Marshal.ZeroFreeGlobalAllocUnicode(pointer);
        }
    }

    /// <summary>Accepts what PowerShell users pass for a secret: a SecureString or a string.</summary>
    public static string? FromParameter(object? value) => value switch
    {
        null => null,
        SecureString secure => ToPlainText(secure),
        PSObject wrapped => FromParameter(wrapped.BaseObject),
        string text => text,
        _ => value.ToString(),
    };
}
