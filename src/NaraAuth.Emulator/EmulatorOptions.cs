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
    /// <summary>EdgePlane's AUTH_MODE (--auth-mode): which bearers its whoami and API accept.</summary>
    public EdgePlaneAuthMode EdgePlaneAuthMode { get; set; } = EdgePlaneAuthMode.Token;
    /// <summary>The identity provider EdgePlane accepts JWTs from (--oidc-issuer); null: the emulator's own /oidc.</summary>
    public string? EdgePlaneOidcIssuer { get; set; }
    /// <summary>The audience those JWTs must name (--oidc-audience); null: naraauth-cli, the client of the emulator's provider.</summary>
    public string? EdgePlaneOidcAudience { get; set; }
    /// <summary>--help: print <see cref="Usage"/> and exit.</summary>
    public bool ShowHelp { get; set; }

    public const string Usage = """
        Usage: NaraAuth.Emulator [--port N] [--pre-approve] [--auth-mode token|oidc|dual] [--oidc-issuer URL] [--oidc-audience AUD] [--help]

        The local nara/EdgePlane platform for the quick start and the tests, on http://127.0.0.1.
          --port N              listen on port N (0, the default, picks a free port; the first line says which)
          --pre-approve         approve browser logins by themselves (no person needed to click Approve)
          --auth-mode MODE      EdgePlane's AUTH_MODE: token (default: mcs_ tokens), oidc (JWTs of the
                                identity provider) or dual (both)
          --oidc-issuer URL     the identity provider EdgePlane accepts JWTs from (default: the emulator's /oidc)
          --oidc-audience AUD   the audience those JWTs must name (default: naraauth-cli)
          --help                show this text

        Stops on Ctrl+C, SIGINT or SIGTERM. Exits 1 when the port is taken, 2 on a bad argument.
        """;

    public static EmulatorOptions FromArgs(string[] args)
    {
        var options = new EmulatorOptions();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--port" when i + 1 < args.Length:
                    if (!int.TryParse(args[++i], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) || port > 65535)
                        throw new ArgumentException($"--port needs a number from 0 to 65535, not '{args[i]}'.");
                    options.Port = port;
                    break;
                case "--auth-mode" when i + 1 < args.Length:
                    if (!Enum.TryParse<EdgePlaneAuthMode>(args[++i], ignoreCase: true, out var mode) || !Enum.IsDefined(mode) || int.TryParse(args[i], out _))
                        throw new ArgumentException($"--auth-mode needs token, oidc or dual, not '{args[i]}'.");
                    options.EdgePlaneAuthMode = mode;
                    break;
                case "--oidc-issuer" when i + 1 < args.Length:
                    if (!Uri.TryCreate(args[++i], UriKind.Absolute, out _))
                        throw new ArgumentException($"--oidc-issuer needs an absolute URL, not '{args[i]}'.");
                    options.EdgePlaneOidcIssuer = args[i];
                    break;
                case "--oidc-audience" when i + 1 < args.Length:
                    options.EdgePlaneOidcAudience = args[++i];
                    break;
                case "--pre-approve":
                    options.PreApprove = true;
                    break;
                case "--help" or "-h" or "-?":
                    options.ShowHelp = true;
                    break;
                default:
                    throw new ArgumentException($"Unknown argument '{args[i]}'. Usage: NaraAuth.Emulator [--port N] [--pre-approve] [--auth-mode token|oidc|dual] [--oidc-issuer URL] [--oidc-audience AUD] [--help]");
            }
        }
        return options;
    }
}
