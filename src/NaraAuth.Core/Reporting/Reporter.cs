using System;

namespace NaraAuth.Core.Reporting;

/// <summary>The reporter of a caller that shows nothing: Core's default, and the tests'.</summary>
public static class Reporter
{
    public static readonly IReporter None = new Silent();

    private sealed class Silent : IReporter
    {
        public void Verbose(string text) { }
        public void Warning(string text) { }
        public void Information(string text) { }
        public void Countdown(string activity, string status, TimeSpan left, TimeSpan total) { }
    }
}
