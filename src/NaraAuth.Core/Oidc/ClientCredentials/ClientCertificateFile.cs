using System;
using System.Reflection;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using NaraAuth.Core.Errors;
using NaraAuth.Core.Storage;

namespace NaraAuth.Core.Oidc.ClientCredentials;

/// <summary>
/// Loads the client certificate named by -ClientCertificatePath: a PFX/PKCS#12 (with its password
/// when it has one) or a PEM holding the certificate and its private key. Read through the one
/// secret-file reader (regular files only, size-capped); the key is kept in memory only, never
/// written to a key store or temp file.
/// </summary>
public static class ClientCertificateFile
{
    public static SecretFileKind Kind { get; } = new("ClientCertificateFile", "client certificate file", 256 * 1024,
        "Pass a PFX (with -ClientCertificatePassword when it has one) or a PEM file holding the certificate and its private key.");

    public static X509Certificate2 Load(SecureFileStore store, string path, string? password)
    {
        var raw = SecretFileReader.ReadBytes(store, path, Kind);
        var text = LooksLikePem(raw) ? Encoding.ASCII.GetString(raw) : null;
        try
        {
            return text != null ? FromPem(path, text) : FromPfx(raw, password);
        }
        catch (CryptographicException e)
        {
            // The runtime's message does not quote the file, but it says nothing useful either.
            var wrongPassword = text == null && (e.HResult == unchecked((int)0x80070056) || e.Message.IndexOf("password", StringComparison.OrdinalIgnoreCase) >= 0);
            throw new NaraAuthException(wrongPassword ? "ClientCertificatePasswordWrong" : "ClientCertificateFileInvalid", NaraErrorCategory.InvalidData,
                wrongPassword
                    ? $"The client certificate file '{path}' could not be opened with the password given{(password == null ? " (none was given)" : string.Empty)}."
                    : $"'{path}' is not a PFX or PEM certificate with a private key that can be read here.",
                wrongPassword ? "Pass the PFX's password with -ClientCertificatePassword (a SecureString)." : Kind.RecommendedAction, path);
        }
    }

    private const X509KeyStorageFlags EphemeralKeySet = (X509KeyStorageFlags)0x20;

    private static bool LooksLikePem(byte[] raw)
    {
        var head = Encoding.ASCII.GetString(raw, 0, Math.Min(raw.Length, 4096));
        return head.IndexOf("-----BEGIN ", StringComparison.Ordinal) >= 0;
    }

    private static X509Certificate2 FromPfx(byte[] raw, string? password)
    {
        // EphemeralKeySet (not named in netstandard2.0) keeps the key in memory only, with no key
        // file left in the user's profile; macOS cannot do that and keeps the default.
        var flags = System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.OSX)
            ? X509KeyStorageFlags.DefaultKeySet
            : EphemeralKeySet;
        return new X509Certificate2(raw, password, flags);
    }

    /// <summary>
    /// PEM needs X509Certificate2.CreateFromPem (.NET 5 and later, so PowerShell 7); Windows
    /// PowerShell 5.1 is told to use a PFX instead.
    /// </summary>
    private static X509Certificate2 FromPem(string path, string text)
    {
        var create = typeof(X509Certificate2).GetMethod("CreateFromPem", BindingFlags.Public | BindingFlags.Static, null, new[] { typeof(string) }, null);
        if (create == null)
        {
            throw new NaraAuthException("ClientCertificatePemUnsupported", NaraErrorCategory.NotEnabled,
                $"'{path}' is a PEM file, which this PowerShell cannot read with its key.",
                "Use PowerShell 7, or convert it to a PFX (openssl pkcs12 -export) and pass that.", path);
        }
        X509Certificate2 certificate;
        try
        {
            certificate = (X509Certificate2)create.Invoke(null, new object[] { text })!;
        }
        catch (TargetInvocationException e) when (e.InnerException is CryptographicException || e.InnerException is ArgumentException)
        {
            throw new CryptographicException("PEM", e.InnerException);
        }
        if (!certificate.HasPrivateKey)
        {
            certificate.Dispose();
            throw new NaraAuthException("ClientCertificateNoPrivateKey", NaraErrorCategory.InvalidArgument,
                $"The PEM file '{path}' holds a certificate but no (unencrypted) private key, so it cannot sign the client assertion.",
                "Put the certificate and its PKCS#8 private key in the file, or use a PFX.", path);
        }
        return certificate;
    }
}
