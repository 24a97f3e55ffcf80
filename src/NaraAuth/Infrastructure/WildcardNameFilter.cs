using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;

namespace NaraAuth.Infrastructure;

/// <summary>
/// -Name filtering the way Get-* cmdlets do it: wildcards select quietly, while a literal name
/// that matches nothing is reported (as Get-Process -Name does), so typos do not pass silently.
/// </summary>
internal static class WildcardNameFilter
{
    public static List<T> Apply<T>(IReadOnlyCollection<T> items, string[] names, Func<T, string> nameOf, Action<string> reportMissing)
    {
        var patterns = names.Select(n => WildcardPattern.Get(n, WildcardOptions.IgnoreCase)).ToList();
        foreach (var literal in names.Where(n => !WildcardPattern.ContainsWildcardCharacters(n)))
        {
            if (!items.Any(item => string.Equals(nameOf(item), literal, StringComparison.OrdinalIgnoreCase)))
                reportMissing(literal);
        }
        return items.Where(item => patterns.Any(p => p.IsMatch(nameOf(item)))).ToList();
    }
}
