using System;
using System.IO;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Security.Authentication;
using System.Text;

namespace NaraAuth.Core.Http;

/// <summary>The one wording of a retry notice, for a request retried here and a poll asked again alike.</summary>
public static class RetryNotice
{
    /// <param name="failed">The number of the attempt (or poll) that failed, counted from 1.</param>
    /// <param name="what">What failed: "Attempt", or "Poll" for a login wait.</param>
    public static string Text(int failed, TimeSpan wait, string why, string what = "Attempt") =>
        $"{what} {failed} failed ({why}); retrying in {wait.TotalSeconds.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture)} s.";
}
