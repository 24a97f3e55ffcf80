using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Runtime.Loader;
using NaraAuth.Emulator;
using NaraAuth.Module.Tests.EdgePlane;
using NaraAuth.Module.Tests.Oidc;
using NaraAuth.Module.Tests.Harness;

namespace NaraAuth.Isolation.Tests;

/// <summary>
/// NaraAuth must work whatever versions of MSAL and IdentityModel other modules (Az.Accounts,
/// Microsoft.Graph) already loaded. This process loads older ones first, as such a module would.
/// </summary>
public class DependencyIsolationTests
{
    private static readonly string[] OlderAssemblies =
    {
        "microsoft.identitymodel.abstractions/7.5.0/lib/net8.0/Microsoft.IdentityModel.Abstractions.dll",
        "microsoft.identitymodel.logging/7.5.0/lib/net8.0/Microsoft.IdentityModel.Logging.dll",
        "microsoft.identitymodel.tokens/7.5.0/lib/net8.0/Microsoft.IdentityModel.Tokens.dll",
        "microsoft.identitymodel.jsonwebtokens/7.5.0/lib/net8.0/Microsoft.IdentityModel.JsonWebTokens.dll",
        "system.identitymodel.tokens.jwt/7.5.0/lib/net8.0/System.IdentityModel.Tokens.Jwt.dll",
        "microsoft.identity.client/4.61.3/lib/net6.0/Microsoft.Identity.Client.dll",
    };

    private static string NuGetRoot =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    [Fact]
    public async Task Works_with_other_versions_already_loaded_and_keeps_its_own()
    {
        // As another module would: the older builds go into the default context first.
        var preloaded = OlderAssemblies.Select(relative =>
        {
            var path = Path.Combine(NuGetRoot, relative);
            Assert.True(File.Exists(path), "missing downloaded package file " + path);
            return AssemblyLoadContext.Default.LoadFromAssemblyPath(path);
        }).ToList();
        Assert.Contains(preloaded, a => a.GetName().Name == "System.IdentityModel.Tokens.Jwt" && a.GetName().Version!.Major == 7);

        // https as well: MSAL only accepts an https authority.
        await using var emulator = await EmulatorServer.StartAsync(new EmulatorOptions { HttpsCertificate = LoopbackCertificate.Certificate }, TestContext.Current.CancellationToken);
        using var session = new PsSession();
        var jwt = emulator.State.MintToken();
        TestTokenFile.WriteIn(session.WorkDir, jwt);

        // -Verify runs the JWT library (signature check against the JWKS) inside NaraAuth.
        var result = session.Run("Get-AuthToken -Verify -BaseUrl $args[0]", emulator.BaseUrl.ToString());
        dynamic info = result.Single<object>();
        Assert.True((bool)info.SignatureVerified);

        var naraContext = AssemblyLoadContext.All.Single(c => c.Name == "NaraAuth");
        var ours = naraContext.Assemblies.ToDictionary(a => a.GetName().Name!, a => a.GetName().Version!);
        Assert.Equal(8, ours["Microsoft.IdentityModel.JsonWebTokens"].Major);
        Assert.Equal(8, ours["Microsoft.IdentityModel.Tokens"].Major);
        Assert.True(ours.ContainsKey("NaraAuth.Core"));
        // The default context still has the other module's versions, untouched.
        var theirs = AssemblyLoadContext.Default.Assemblies.Where(a => a.GetName().Name!.StartsWith("Microsoft.IdentityModel", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(theirs);
        Assert.All(theirs, a => Assert.Equal(7, a.GetName().Version!.Major));
        // Core never leaked into the default context.
        Assert.DoesNotContain(AssemblyLoadContext.Default.Assemblies, a => a.GetName().Name == "NaraAuth.Core");

        // The interactive OIDC login runs MSAL (PKCE, loopback redirect) with MSAL 4.61 already in the
        // process: it works, and the MSAL it used is NaraAuth's 4.92 in NaraAuth's own context.
        OidcBrowserDouble.Use(session);
        var login = session.Run("Invoke-OidcCliLogin -Authority $args[0] -ClientId naraauth-cli", emulator.HttpsBaseUrl!.ToString().TrimEnd('/') + "/oidc");
        dynamic oidc = login.Single<object>();
        Assert.Equal("grace", (string)oidc.Subject);
        Assert.Equal("Interactive", (string)oidc.Source.ToString());
        var msal = Assert.Single(naraContext.Assemblies, a => a.GetName().Name == "Microsoft.Identity.Client");
        Assert.True(msal.GetName().Version >= new Version(4, 92), "NaraAuth's context used MSAL " + msal.GetName().Version);
        Assert.Contains(AssemblyLoadContext.Default.Assemblies, a => a.GetName().Name == "Microsoft.Identity.Client" && a.GetName().Version!.Minor == 61);
    }

    [Fact]
    public void The_cmdlet_assembly_references_no_identity_or_json_library_and_ships_alone_at_the_root()
    {
        var root = RepoPaths.StagedModuleDirectory;
        Assert.Equal(new[] { "NaraAuth.dll" }, Directory.GetFiles(root, "*.dll").Select(Path.GetFileName));
        using var stream = File.OpenRead(Path.Combine(root, "NaraAuth.dll"));
        using var pe = new PEReader(stream);
        var reader = pe.GetMetadataReader();
        var references = reader.AssemblyReferences.Select(h => reader.GetString(reader.GetAssemblyReference(h).Name)).ToList();
        Assert.Contains("NaraAuth.Core", references);
        Assert.DoesNotContain(references, r => r.StartsWith("Microsoft.Identity.", StringComparison.Ordinal)
            || r.StartsWith("Microsoft.IdentityModel.", StringComparison.Ordinal)
            || r.StartsWith("System.IdentityModel.", StringComparison.Ordinal)
            || r == "System.Text.Json");
        Assert.True(File.Exists(Path.Combine(root, "Dependencies", "NaraAuth.Core.dll")));
        Assert.True(File.Exists(Path.Combine(root, "Dependencies", "NaraAuth.Loader.dll")));
    }

    [Fact]
    public void No_cmdlet_signature_exposes_a_type_from_the_isolated_context()
    {
        using var session = new PsSession();
        var types = session.Run("Get-Command -Module NaraAuth | ForEach-Object { $_.Parameters.Values.ParameterType; $_.OutputType.Type }")
            .Output.Select(o => o.BaseObject).OfType<Type>().ToList();
        Assert.NotEmpty(types);
        Assert.All(types, t => Assert.True(AssemblyLoadContext.GetLoadContext(t.Assembly) != AssemblyLoadContext.All.SingleOrDefault(c => c.Name == "NaraAuth"),
            $"{t.FullName} comes from NaraAuth's isolated context"));
    }
}
