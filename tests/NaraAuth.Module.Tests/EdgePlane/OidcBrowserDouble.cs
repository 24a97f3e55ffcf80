using NaraAuth.Module.Tests.Harness;

namespace NaraAuth.Module.Tests.EdgePlane;

/// <summary>
/// The person at the browser for the interactive OIDC login: a curl script started through
/// BROWSER, as a real browser would be, that signs in and follows the redirect to the loopback
/// listener. Shared by the module tests and the isolation test.
/// </summary>
public static class OidcBrowserDouble
{
    /// <summary>A browser double: signs in as <paramref name="subject"/> and follows every redirect.</summary>
    public static string Use(PsSession session, string subject = "grace")
    {
        var log = Path.Combine(session.TempDir, "browser.log");
        var script = Path.Combine(session.TempDir, "browser.sh");
        // Signs in (the sign-in form is a GET with login_as), then submits the form_post answer
        // to the loopback redirect as a browser's onload script would.
        File.WriteAllText(script, $$"""
            #!/bin/sh
            curl -sS -L --max-time 30 --cacert '{{LoopbackCertificate.PemPath}}' -o '{{log}}.page' -w '%{url_effective}\n' "$1&login_as={{subject}}" >> '{{log}}' 2>&1
            page=$(cat '{{log}}.page')
            action=$(printf '%s' "$page" | sed -n 's/.*<form method="post" action="\([^"]*\)".*/\1/p' | head -n 1)
            if [ -n "$action" ]; then
              args=$(printf '%s' "$page" | grep -o '<input type="hidden" name="[^"]*" value="[^"]*"' | sed 's/<input type="hidden" name="\([^"]*\)" value="\([^"]*\)"/--data-urlencode \1=\2/')
              curl -sS --max-time 30 -o '{{log}}.page' -w '%{url_effective}\n' $args "$action" >> '{{log}}' 2>&1
            fi
            """.Replace("\r", string.Empty));
        UnixModes.Set(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        session.SetEnv("BROWSER", script);
        return log;
    }
}
