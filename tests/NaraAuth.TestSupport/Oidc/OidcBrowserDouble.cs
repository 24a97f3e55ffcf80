using NaraAuth.TestSupport.Harness;

using NaraAuth.TestSupport.EdgePlane;
using NaraAuth.TestSupport.Certificates;

namespace NaraAuth.TestSupport.Oidc;

/// <summary>
/// The person at the browser for the interactive OIDC login: a curl script started through
/// BROWSER, as a real browser would be, that signs in and follows the redirect to the loopback
/// listener. Shared by the module tests and the isolation test.
/// </summary>
public static class OidcBrowserDouble
{
    /// <summary>
    /// A browser double: signs in as <paramref name="subject"/> and follows every redirect.
    /// <paramref name="extraQuery"/> is added to the sign-in (e.g. "&amp;decision=cancel");
    /// <paramref name="before"/> is shell run first, with $port set to the loopback listener's port.
    /// </summary>
    public static string Use(PsSession session, string subject = "grace", string extraQuery = "", string before = "")
    {
        var log = Path.Combine(session.TempDir, "browser.log");
        var script = Path.Combine(session.TempDir, "browser.sh");
        // Signs in (the sign-in form is a GET with login_as), then submits the form_post answer
        // to the loopback redirect as a browser's onload script would.
        File.WriteAllText(script, $$"""
            #!/bin/sh
            echo $$ > '{{log}}.pid'
            rm -f '{{log}}.done'
            awk '{print $5, $6}' /proc/$$/stat > '{{log}}.group'
            port=$(printf '%s' "$1" | sed -n 's/.*redirect_uri=http%3A%2F%2F127\.0\.0\.1%3A\([0-9]*\).*/\1/p')
            {{before}}
            curl -sS -L --max-time 30 --cacert '{{LoopbackCertificate.PemPath}}' -o '{{log}}.page' -w '%{url_effective}\n' "$1&login_as={{subject}}{{extraQuery}}" >> '{{log}}' 2>&1
            page=$(cat '{{log}}.page')
            action=$(printf '%s' "$page" | tr '\n' ' ' | sed -n 's/.*<form[^>]*method="post"[^>]*action="\([^"]*\)".*/\1/p' | head -n 1)
            if [ -n "$action" ]; then
              args=$(printf '%s' "$page" | grep -o '<input type="hidden" name="[^"]*" value="[^"]*"' | sed 's/<input type="hidden" name="\([^"]*\)" value="\([^"]*\)"/--data-urlencode \1=\2/')
              curl -sS --max-time 30 -o '{{log}}.page' -w '%{url_effective}\n' $args "$action" >> '{{log}}' 2>&1
            fi
            echo done > '{{log}}.done'
            """.Replace("\r", string.Empty));
        UnixModes.Set(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        session.SetEnv("BROWSER", script);
        // A double still writing when the session's folder is deleted would leave the folder behind:
        // give it its bounded time to finish, then end whatever still runs. Ended even when a '.done'
        // is there: a login may open its pages twice (the browser, then the device code's page), and
        // the second run may still be going when the first one's '.done' is seen.
        session.Disposing += () =>
        {
            if (!File.Exists(log + ".pid")) return;
            FinalPage(log);
            EndDouble(log);
        };
        return log;
    }

    private static void EndDouble(string log)
    {
        if (!int.TryParse(File.ReadAllText(log + ".pid").Trim(), out var pid)) return;
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            // Only the double's own shell: a number reused by another process is left alone.
            if (process.HasExited || process.ProcessName is not ("sh" or "dash" or "bash")) return;
            process.Kill(entireProcessTree: true);
            process.WaitForExit(5000);
        }
        catch (ArgumentException)
        {
            // Already gone.
        }
        catch (InvalidOperationException)
        {
            // Exited between the lookup and the kill.
        }
    }

    /// <summary>The page the double ended on, once it has finished (bounded wait: PowerShell may return first).</summary>
    public static string FinalPage(string log)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!File.Exists(log + ".done") && DateTime.UtcNow < deadline) Thread.Sleep(20);
        return File.Exists(log + ".page") ? File.ReadAllText(log + ".page") : string.Empty;
    }
}
