using System;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Reflection;

namespace NaraAuth.Infrastructure;

/// <summary>
/// A machine's answer, rebuilt into the module's own output type: remoting delivers a property bag
/// ("Deserialized.NaraAuth.Models..."), in which an enum arrives as a number and a DateTimeOffset
/// as a bag of its parts. Rebuilt, it compares, formats and pipes as the local result does, and
/// carries where it came from: PSComputerName, PSUserName (an SSH session's account), RunspaceId.
/// </summary>
internal static class RemoteResults
{
    private const string Deserialized = "Deserialized.";

    public static PSObject Rehydrate(PSObject remote, PSSession? session)
    {
        var result = Rebuild(remote) ?? remote;
        var account = SessionFanOut.AccountOf(session);
        SetNote(result, "PSComputerName", session?.ComputerName ?? remote.Properties["PSComputerName"]?.Value);
        if (account != null) SetNote(result, "PSUserName", account);
        SetNote(result, "RunspaceId", remote.Properties["RunspaceId"]?.Value);
        SetNote(result, "PSShowComputerName", true);
        return result;
    }

    private static PSObject? Rebuild(PSObject remote)
    {
        var name = remote.TypeNames.FirstOrDefault(t => t.StartsWith(Deserialized + "NaraAuth.Models.", StringComparison.Ordinal));
        var type = name == null ? null : typeof(RemoteResults).Assembly.GetType(name.Substring(Deserialized.Length));
        if (type == null || type.IsAbstract || type.GetConstructor(Type.EmptyTypes) == null) return null;
        var instance = Activator.CreateInstance(type);
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var setter = property.GetSetMethod(nonPublic: true);
            var value = remote.Properties[property.Name]?.Value;
            if (setter == null || value == null) continue;
            setter.Invoke(instance, new[] { ConvertTo(value, property.PropertyType) });
        }
        return new PSObject(instance);
    }

    internal static object? ConvertTo(object value, Type target)
    {
        var plain = Nullable.GetUnderlyingType(target) ?? target;
        if (plain == typeof(DateTimeOffset) && value is PSObject bag && bag.BaseObject is not DateTimeOffset)
        {
            // A DateTimeOffset crosses as its parts: the UTC instant and the offset it was shown in.
            var utc = (DateTime)LanguagePrimitives.ConvertTo(bag.Properties["UtcDateTime"].Value, typeof(DateTime));
            var offset = (TimeSpan)LanguagePrimitives.ConvertTo(bag.Properties["Offset"].Value, typeof(TimeSpan));
            return new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)).ToOffset(offset);
        }
        return LanguagePrimitives.ConvertTo(value, target);
    }

    private static void SetNote(PSObject target, string name, object? value)
    {
        if (value == null) return;
        target.Properties.Remove(name);
        target.Properties.Add(new PSNoteProperty(name, value));
    }
}
