using System.Net;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace NaraAuth.TestSupport.Certificates;

/// <summary>
/// The emulator's https certificate, and how the tests trust it: explicitly, by adding it to the
/// trust store the whole test process uses (SSL_CERT_FILE = the system bundle + this certificate),
/// never by turning validation off. .NET on Linux reads SSL_CERT_FILE once, when the first
/// certificate chain is built, so this runs when this library is first used, and the certificate
/// is the same for the whole process. That is always before the first https chain: every https
/// server of the tests is keyed with <see cref="Certificate"/>, so none exists before this ran.
/// The module has no "skip validation" switch.
/// </summary>
public static class LoopbackCertificate
{
    public static X509Certificate2 Certificate { get; private set; } = null!;
    /// <summary>The certificate alone as PEM, for the curl browser double's --cacert.</summary>
    public static string PemPath { get; private set; } = string.Empty;

#pragma warning disable CA2255 // The trust must be in place before the first chain, whichever test project uses this library.
    [ModuleInitializer]
    internal static void TrustForThisProcess()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=NaraAuth emulator (tests)", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        san.AddDnsName("localhost");
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.KeyCertSign, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { new Oid("1.3.6.1.5.5.7.3.1") }, false));
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(2));
        // Round-trip through PKCS#12 so Kestrel gets a certificate whose key it can use on every OS.
        Certificate = X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), null);

        var dir = Directory.CreateTempSubdirectory("naraauth-tls-").FullName;
        // The trust bundle must outlive every test of the process; it goes when the process does.
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        };
        var pem = Certificate.ExportCertificatePem() + "\n";
        PemPath = Path.Combine(dir, "emulator.pem");
        File.WriteAllText(PemPath, pem);
        if (OperatingSystem.IsLinux())
        {
            var system = new[] { Environment.GetEnvironmentVariable("SSL_CERT_FILE"), "/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt" }
                .FirstOrDefault(p => !string.IsNullOrEmpty(p) && File.Exists(p));
            var bundle = Path.Combine(dir, "bundle.pem");
            File.WriteAllText(bundle, (system != null ? File.ReadAllText(system) + "\n" : string.Empty) + pem);
            Environment.SetEnvironmentVariable("SSL_CERT_FILE", bundle);
            // .NET reads SSL_CERT_FILE through the C library, which does not see variables set
            // with Environment.SetEnvironmentVariable; set the native environment too.
            if (setenv("SSL_CERT_FILE", bundle, 1) != 0) throw new InvalidOperationException("setenv(SSL_CERT_FILE) failed.");
        }
    }
#pragma warning restore CA2255

    [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
    private static extern int setenv(string name, string value, int overwrite);
}
