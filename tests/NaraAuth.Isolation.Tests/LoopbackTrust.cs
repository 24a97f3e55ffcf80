using System.Runtime.CompilerServices;
using NaraAuth.Module.Tests.EdgePlane;

namespace NaraAuth.Isolation.Tests;

/// <summary>
/// Trusts the emulator's https certificate as this test assembly loads, before any test can build
/// a certificate chain (.NET on Linux reads the trust bundle once, at the first chain).
/// </summary>
internal static class LoopbackTrust
{
#pragma warning disable CA2255 // A test assembly's own start-up, which is what the attribute is for.
    [ModuleInitializer]
    internal static void TrustBeforeAnyTest() => _ = LoopbackCertificate.Certificate;
#pragma warning restore CA2255
}
