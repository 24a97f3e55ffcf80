using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Security;

namespace NaraAuth.Infrastructure;

/// <summary>
/// The arguments a cmdlet was called with, as the machines' copy of the cmdlet gets them: the
/// fan-out's own (-Session, -ThrottleLimit) and the local-only common parameters left out,
/// switches as booleans and enums as their names (both survive remoting as they are), secrets as
/// SecureStrings only, and confirmation answered on the admin's side (nobody can answer a
/// prompt on a machine).
/// </summary>
internal static class RemoteArguments
{
    private static readonly HashSet<string> LocalOnly = new(StringComparer.OrdinalIgnoreCase)
    {
        "Session", "ThrottleLimit", "Confirm", "WhatIf", "ErrorAction", "WarningAction", "InformationAction", "ProgressAction",
        "ErrorVariable", "WarningVariable", "InformationVariable", "OutVariable", "OutBuffer", "PipelineVariable", "Debug",
    };

    public static Hashtable From(IDictionary<string, object> bound, bool whatIf, bool supportsShouldProcess)
    {
        var arguments = new Hashtable(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in bound)
        {
            if (LocalOnly.Contains(pair.Key)) continue;
            arguments[pair.Key] = ForRemoting(pair.Value);
        }
        if (supportsShouldProcess)
        {
            arguments["Confirm"] = false;
            if (whatIf) arguments["WhatIf"] = true;
        }
        return arguments;
    }

    private static object? ForRemoting(object? value)
    {
        var plain = value is PSObject wrapped ? wrapped.BaseObject : value;
        return plain switch
        {
            SwitchParameter s => s.IsPresent,
            Enum e => e.ToString(),
            Array array when array.GetType().GetElementType()!.IsEnum => ToNames(array),
            SecureString secure => secure,
            _ => value,
        };
    }

    private static string[] ToNames(Array array)
    {
        var names = new string[array.Length];
        for (var i = 0; i < array.Length; i++) names[i] = array.GetValue(i)!.ToString();
        return names;
    }
}
