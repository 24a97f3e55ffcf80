using System;

namespace NaraAuth.Core.Browser;

/// <summary>What a browser login shows: the page to open, where it came from, and what to check there.</summary>
public sealed class BrowserPromptPage
{
    /// <param name="service">What the login is for, as the person knows it ("the Edge Connector", "EdgePlane at https://ep.example.com", "accounts.example.com").</param>
    /// <param name="url">The page to open.</param>
    public BrowserPromptPage(string service, string url)
    {
        Service = service;
        Url = url;
    }

    public string Service { get; }
    public string Url { get; }
    /// <summary>A code the page shows and the person checks (or, with <see cref="CodeIsEntered"/>, types in) before approving.</summary>
    public string? Code { get; set; }
    /// <summary>
    /// The person types <see cref="Code"/> into the page (a device code login, RFC 8628) rather than
    /// comparing it: the page may be opened on any device, and the code is what ties it to this login.
    /// </summary>
    public bool CodeIsEntered { get; set; }
    /// <summary>
    /// The page with the code already filled in (RFC 8628's verification_uri_complete): the browser
    /// opens this one, and a person opening the page by hand is offered it beside <see cref="Url"/>.
    /// </summary>
    public string? UrlWithCode { get; set; }
    /// <summary>When the page (or its code) stops working.</summary>
    public DateTimeOffset? ExpiresAt { get; set; }
    /// <summary>
    /// The URL is shown only when no browser was opened: it carries nothing the person needs when
    /// the page is already open (an authorization URL full of a library's telemetry).
    /// </summary>
    public bool UrlOnlyWhenNotOpened { get; set; }
    /// <summary>Only a browser on this machine can finish the login (the answer comes to a loopback port).</summary>
    public bool OnThisMachineOnly { get; set; }
}
