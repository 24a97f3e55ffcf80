using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.DependencyInjection;

namespace NaraAuth.OidcTestProvider;

/// <summary>
/// ASP.NET Core's data-protection key ring kept in memory. By default a host (OpenIddict's among
/// them) writes its keys into the user's own profile (LOCALAPPDATA, or ~/.aspnet), a file every
/// test run would leave behind in a developer's home.
/// </summary>
public sealed class InMemoryKeyRing : IXmlRepository
{
    private readonly List<XElement> _elements = new();

    public static void AddTo(IServiceCollection services) =>
        services.Configure<KeyManagementOptions>(options => options.XmlRepository = new InMemoryKeyRing());

    public IReadOnlyCollection<XElement> GetAllElements()
    {
        lock (_elements) return _elements.Select(e => new XElement(e)).ToList();
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        lock (_elements) _elements.Add(new XElement(element));
    }
}
