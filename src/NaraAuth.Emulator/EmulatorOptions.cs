namespace NaraAuth.Emulator;

public sealed class EmulatorOptions
{
    /// <summary>Port on 127.0.0.1; 0 picks a free one.</summary>
    public int Port { get; set; }
    /// <summary>Approve browser logins by themselves, so demos run without a person.</summary>
    public bool PreApprove { get; set; }
    /// <summary>Default subject for pre-approved logins and minted tokens.</summary>
    public string DefaultSubject { get; set; } = "user_1";
    /// <summary>
    /// Also listen with https on 127.0.0.1 (a free port) using this certificate, for clients that
    /// insist on an https identity provider (MSAL). Whoever trusts the emulator trusts this certificate.
    /// </summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2? HttpsCertificate { get; set; }
    /// <summary>
    /// The signing key's id; null makes a new one at each start. Tests set it to reproduce a
    /// platform that restarted with a new key under the old id.
    /// </summary>
    public string? SigningKeyId { get; set; }

    public static EmulatorOptions FromArgs(string[] args)
    {
        var options = new EmulatorOptions();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--port" when i + 1 < args.Length:
                    options.Port = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture);
                    break;
                case "--pre-approve":
                    options.PreApprove = true;
                    break;
                default:
                    throw new ArgumentException($"Unknown argument '{args[i]}'. Usage: NaraAuth.Emulator [--port N] [--pre-approve]");
            }
        }
        return options;
    }
}
