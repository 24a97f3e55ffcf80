using System;
using System.Threading;
using System.Threading.Tasks;
using NaraAuth.Core.Abstractions;
using NaraAuth.Core.Errors;
using NaraAuth.Core.Reporting;
using NaraAuth.Core.Text;
using NaraAuth.Core.Oidc.Browser;

namespace NaraAuth.Core.Oidc;

/// <summary>The direct OIDC login as the cmdlet runs it: one request, one confirmation, one call.</summary>
public sealed partial class OidcLogin
{
    private OidcLoginRequest? _request;

    /// <summary>The login <paramref name="request"/> asks for; contradictory switches and missing settings are refused here, before anything is sent.</summary>
    public static OidcLogin For(OidcLoginRequest request, CoreContext context, IReporter reporter)
    {
        if (request.UseDeviceCode && request.UseBrowser)
        {
            throw new NaraAuthException("OidcModeConflict", NaraErrorCategory.InvalidArgument,
                "-UseDeviceCode and -UseBrowser ask for two different logins.", "Pass one of them (without either, the browser is tried first).", "-UseDeviceCode");
        }
        var settings = OidcSettings.Resolve(request.Authority, request.ClientId, request.Scopes, context.Environment);
        return new OidcLogin(context, settings, reporter)
        {
            _request = request,
            MinimumValidity = request.MinimumValidity ?? ReuseMargin,
            // Given, it bounds the device code wait too; else the code's own lifetime, within DeviceCodeFlow's limit.
            DeviceCodeMaxWait = request.LoginTimeout,
        };
    }

    /// <summary>The provider the login goes to.</summary>
    public Uri Authority => _settings.Authority;

    /// <summary>The question for -WhatIf and -Confirm.</summary>
    public string Action => $"Log in to {_settings.Authority} as client '{_settings.ClientId}' (or reuse the saved session) and save the session";

    /// <summary>Reuses, refreshes or logs in as the request says, and tells the person who is logged in until when.</summary>
    public async Task<OidcLoginResult> RunAsync(CancellationToken cancellationToken)
    {
        var request = _request ?? throw new InvalidOperationException("OidcLogin.RunAsync needs a login made with OidcLogin.For.");
        OidcLoginResult result;
        if (request.UseDeviceCode)
        {
            result = await LoginWithDeviceCodeAsync(request.Force, request.Browser, request.NoBrowser, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var options = new BrowserLoginOptions(request.Browser)
            {
                BrowserChosen = request.UseBrowser || request.NoBrowser,
                PrintUrlOnly = request.NoBrowser,
                NonInteractiveReason = request.NonInteractiveReason,
            };
            if (request.LoginTimeout is { } limit) options.LoginTimeout = limit;
            result = await LoginInteractiveAsync(request.Force, options, cancellationToken).ConfigureAwait(false);
        }
        var session = result.Session;
        _reporter.Information($"Logged in to {session.Issuer} as {Describe(session.Identity)} until {TimeText.Of(session.ExpiresAt)} ({result.Source}).");
        return result;
    }
}
