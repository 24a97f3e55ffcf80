using System;
using System.Collections.Generic;
using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace NaraAuth.Core.Storage;

/// <summary>
/// The security identifier of an account named the way Windows admins name a service's account:
/// a SID as it is, LocalSystem / LocalService / NetworkService by their fixed SIDs, and
/// NT SERVICE\&lt;name&gt; by the virtual service SID Windows derives from the service name
/// (S-1-5-80- and the SHA-1 of the upper-case name), so a file can be prepared for a service
/// before it is installed. Everything else (a local user, DOMAIN\user, a group-managed service
/// account DOMAIN\name$) is translated by Windows itself.
/// </summary>
public static class WindowsAccountSid
{
    public const string LocalSystem = "S-1-5-18";
    public const string LocalService = "S-1-5-19";
    public const string NetworkService = "S-1-5-20";
    public const string Administrators = "S-1-5-32-544";

    private static readonly Regex SidPattern = new(@"^S-1-[0-9]+(-[0-9]+)+$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

    private static readonly Dictionary<string, string> WellKnown = new(StringComparer.OrdinalIgnoreCase)
    {
        ["LocalSystem"] = LocalSystem, ["SYSTEM"] = LocalSystem, ["NT AUTHORITY\\SYSTEM"] = LocalSystem, [".\\LocalSystem"] = LocalSystem,
        ["LocalService"] = LocalService, ["NT AUTHORITY\\LocalService"] = LocalService, ["NT AUTHORITY\\LOCAL SERVICE"] = LocalService,
        ["NetworkService"] = NetworkService, ["NT AUTHORITY\\NetworkService"] = NetworkService, ["NT AUTHORITY\\NETWORK SERVICE"] = NetworkService,
    };

    private const string ServicePrefix = "NT SERVICE\\";

    public static bool IsSid(string text) => SidPattern.IsMatch(text);

    /// <summary>
    /// The SID for <paramref name="account"/>, computed where Windows' rule is fixed, else from
    /// <paramref name="translate"/> (Windows' own name lookup); null when the account is unknown.
    /// </summary>
    public static string? Resolve(string account, Func<string, string?> translate)
    {
        var name = account.Trim();
        if (IsSid(name)) return name.ToUpperInvariant();
        if (WellKnown.TryGetValue(name, out var sid)) return sid;
        if (name.StartsWith(ServicePrefix, StringComparison.OrdinalIgnoreCase) && name.Length > ServicePrefix.Length)
            return ServiceSid(name.Substring(ServicePrefix.Length));
        return translate(name);
    }

    /// <summary>The virtual account SID of the service <paramref name="serviceName"/> (what sc.exe showsid prints).</summary>
    public static string ServiceSid(string serviceName)
    {
        byte[] hash;
        using (var sha1 = SHA1.Create())
            hash = sha1.ComputeHash(Encoding.Unicode.GetBytes(serviceName.ToUpperInvariant()));
        var sid = new StringBuilder("S-1-5-80");
        for (var i = 0; i < 5; i++)
            sid.Append('-').Append(BitConverter.ToUInt32(hash, i * 4).ToString(CultureInfo.InvariantCulture));
        return sid.ToString();
    }

    /// <summary>Windows' NTAccount lookup (reached by reflection, like the ACL types); null when the name is unknown.</summary>
    internal static string? TranslateOnWindows(string name)
    {
        var account = PrincipalType("NTAccount");
        var sidType = PrincipalType("SecurityIdentifier");
        try
        {
            var ntAccount = Activator.CreateInstance(account, name)!;
            var sid = account.GetMethod("Translate", new[] { typeof(Type) })!.Invoke(ntAccount, new object[] { sidType })!;
            return sid.ToString();
        }
        catch (TargetInvocationException e) when (e.InnerException is SystemException && e.InnerException is not OutOfMemoryException)
        {
            // IdentityNotMappedException, or a name Windows rejects outright.
            return null;
        }
    }

    /// <summary>The account name for a SID (DOMAIN\name), or the SID itself when Windows cannot name it.</summary>
    internal static string NameOnWindows(string sid)
    {
        var account = PrincipalType("NTAccount");
        var sidType = PrincipalType("SecurityIdentifier");
        try
        {
            var identifier = Activator.CreateInstance(sidType, sid)!;
            return sidType.GetMethod("Translate", new[] { typeof(Type) })!.Invoke(identifier, new object[] { account })!.ToString()!;
        }
        catch (TargetInvocationException e) when (e.InnerException is SystemException && e.InnerException is not OutOfMemoryException)
        {
            return sid;
        }
    }

    private static Type PrincipalType(string name) =>
        Type.GetType("System.Security.Principal." + name + ", System.Security.Principal.Windows")
        ?? Type.GetType("System.Security.Principal." + name + ", mscorlib")
        ?? throw new PlatformNotSupportedException(name + " is not available.");
}
