using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Security;
using NaraAuth.Core.EdgeConnector;
using NaraAuth.Infrastructure;

namespace NaraAuth.Commands;

/// <summary>Connect-EdgeConnector -Session: the same connection on many machines at once (docs/remoting.md).</summary>
public sealed partial class ConnectEdgeConnectorCommand
{
    /// <summary>Run on these machines instead of this one: each connects itself and answers with its own result.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public PSSession[]? Session { get; set; }

    /// <summary>With -Session: how many machines are worked on at once (0: PowerShell's default, 32).</summary>
    [Parameter]
    [ValidateRange(0, 1000)]
    public int ThrottleLimit { get; set; }

    private SessionFanOut? _fanOut;

    private bool RunOnSessions()
    {
        if (Session == null) return false;
        var arguments = RemoteArguments.From(MyInvocation.BoundParameters, IsWhatIf(), supportsShouldProcess: true);
        // The token is read here, where the admin named it (a file or the JWT), and crosses only as a SecureString.
        if (Token != null) arguments[nameof(Token)] = TokenForMachines();
        _fanOut ??= new SessionFanOut(this, ThrottleLimit, StopToken);
        _fanOut.Run(Session, "Connect-EdgeConnector", arguments, IsWhatIf(), nameof(Path), nameof(InstallPath), nameof(SaveCredentialsTo));
        return true;
    }

    private SecureString TokenForMachines()
    {
        var value = Token is PSObject wrapped ? wrapped.BaseObject : Token;
        if (value is SecureString secure) return secure;
        var (jwt, _) = TokenInput.Resolve(TokenText(), TokenFilePath, Context.Store);
        return SecretText.ToSecureString(jwt);
    }
}
