using System.Text;

namespace NaraAuth.ApiKeys;

/// <summary>
/// The Identity resource of the Edge Server configuration that a new key's hash goes into
/// (docs/protocol.md 4), as text to merge into the server's YAML.
/// </summary>
public static class EdgeServerIdentitySnippet
{
    /// <param name="id">The identity name (its key under auth.identities); the cmdlet checks its form.</param>
    /// <param name="hash">The key's secure public hash, never the key itself.</param>
    /// <param name="permissionSet">The permission set the identity references.</param>
    public static string For(string id, string hash, string permissionSet)
    {
        var sb = new StringBuilder();
        sb.Append("# Merge into the Edge Server configuration; permission set '").Append(permissionSet)
          .Append("' must exist under auth.permission_sets, and the HTTP server's auth list must name '").Append(id).Append("'.\n");
        sb.Append("auth:\n");
        sb.Append("  identities:\n");
        sb.Append("    ").Append(id).Append(":\n");
        sb.Append("      credential:\n");
        sb.Append("        api_key: \"").Append(hash).Append("\"\n");
        sb.Append("      permissions: [").Append(permissionSet).Append("]\n");
        sb.Append("      id: \"").Append(id).Append("\"\n");
        return sb.ToString();
    }
}
