using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using NaraAuth.Core.Errors;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace NaraAuth.Core.Worker;

/// <summary>
/// The NodeTool deployment.yaml (docs/protocol.md 3): reads worker_auth_token and writes a new one
/// while keeping every other key. Parsing is YamlDotNet's; to keep the user's comments and layout,
/// a write splices the new value into the original text at the span the parser reports (or
/// appends the line), re-parses the result and checks that every other key is unchanged, and
/// only if that check fails re-emits the whole document through YamlDotNet.
/// </summary>
public static class WorkerConfigFile
{
    public const string TokenKey = "worker_auth_token";
    private const int MaxDepth = 64;

    /// <summary>The token in the file's text, or null when the key is absent or empty.</summary>
    public static string? ReadToken(string text, string path)
    {
        var root = LoadRoot(text, path);
        if (root == null) return null;
        var value = FindValue(root, out _);
        if (value == null) return null;
        if (value is not YamlScalarNode scalar)
            throw Invalid(path, $"'{TokenKey}' is a {Kind(value)}, not a string.");
        return string.IsNullOrEmpty(scalar.Value) || IsNull(scalar) ? null : scalar.Value;
    }

    /// <summary>The file's new text with <paramref name="token"/> as worker_auth_token, all other keys kept.</summary>
    public static string WithToken(string text, string token, string path)
    {
        var root = LoadRoot(text, path);
        if (root == null) return TokenKey + ": " + token + "\n";
        // A list or mapping under the key is not ours to overwrite.
        if (FindValue(root, out _) is { } existing && existing is not YamlScalarNode)
            throw Invalid(path, $"'{TokenKey}' is a {Kind(existing)}, not a string.");
        var before = OtherEntries(root);

        var spliced = Splice(text, root, token);
        if (spliced != null && IsFaithful(spliced, token, before, path)) return spliced;

        // The text could not be edited in place (e.g. a flow mapping, a document end marker):
        // re-emit the document. Comments are lost, every key and value is kept.
        root.Children[new YamlScalarNode(TokenKey)] = new YamlScalarNode(token);
        var stream = new YamlStream(new YamlDocument(root));
        using var writer = new StringWriter { NewLine = "\n" };
        stream.Save(writer, assignAnchors: false);
        var emitted = writer.ToString();
        if (emitted.EndsWith("...\n", StringComparison.Ordinal)) emitted = emitted.Substring(0, emitted.Length - 4);
        if (!IsFaithful(emitted, token, before, path))
            throw Invalid(path, "the file could not be rewritten without changing its other keys.");
        return emitted;
    }

    private static string? Splice(string text, YamlMappingNode root, string token)
    {
        var value = FindValue(root, out _);
        if (value is YamlScalarNode scalar && !IsNull(scalar) && scalar.End.Index > scalar.Start.Index)
        {
            var start = (int)scalar.Start.Index;
            var end = (int)scalar.End.Index;
            if (end > text.Length) return null;
            return text.Substring(0, start) + token + text.Substring(end);
        }
        if (value != null || root.Style == YamlDotNet.Core.Events.MappingStyle.Flow) return null;
        // Key absent from a block mapping: add it as the last line.
        var newline = text.IndexOf("\r\n", StringComparison.Ordinal) >= 0 ? "\r\n" : "\n";
        var prefix = text.Length == 0 || text.EndsWith("\n", StringComparison.Ordinal) ? text : text + newline;
        return prefix + TokenKey + ": " + token + newline;
    }

    /// <summary>True when the new text parses, carries the token, and every other entry is as before.</summary>
    private static bool IsFaithful(string newText, string token, IReadOnlyList<KeyValuePair<string, string>> before, string path)
    {
        try
        {
            var root = LoadRoot(newText, path);
            if (root == null || (FindValue(root, out _) as YamlScalarNode)?.Value != token) return false;
            return OtherEntries(root).SequenceEqual(before);
        }
        catch (NaraAuthException)
        {
            return false;
        }
    }

    private static IReadOnlyList<KeyValuePair<string, string>> OtherEntries(YamlMappingNode root) =>
        root.Children.Where(c => !IsTokenKey(c.Key))
            .Select(c => new KeyValuePair<string, string>(Canonical(c.Key), Canonical(c.Value))).ToList();

    /// <summary>A comparable rendering of a node's content (not its layout).</summary>
    private static string Canonical(YamlNode node) => node switch
    {
        YamlScalarNode s => "s:" + (IsNull(s) ? "~null~" : s.Value),
        YamlSequenceNode q => "[" + string.Join(",", q.Children.Select(Canonical)) + "]",
        YamlMappingNode m => "{" + string.Join(",", m.Children.Select(c => Canonical(c.Key) + "=" + Canonical(c.Value))) + "}",
        _ => node.ToString(),
    };

    private static YamlNode? FindValue(YamlMappingNode root, out YamlNode? key)
    {
        foreach (var child in root.Children)
        {
            if (IsTokenKey(child.Key))
            {
                key = child.Key;
                return child.Value;
            }
        }
        key = null;
        return null;
    }

    private static bool IsTokenKey(YamlNode node) => node is YamlScalarNode s && s.Value == TokenKey;

    private static bool IsNull(YamlScalarNode scalar) =>
        scalar.Style == ScalarStyle.Plain && (scalar.Value == null || scalar.Value == "" || scalar.Value == "~" || scalar.Value == "null" || scalar.Value == "Null" || scalar.Value == "NULL");

    /// <summary>The root mapping, or null for an empty file; anything else is an invalid config.</summary>
    private static YamlMappingNode? LoadRoot(string text, string path)
    {
        var stream = new YamlStream();
        try
        {
            RefuseAliasesAndDeepNesting(text, path);
            stream.Load(new StringReader(text));
        }
        catch (YamlException e) when (e.Start.Line > 0 || e.Start.Column > 0)
        {
            // The parser's message may quote the file's content (the token): give only the position.
            // No inner exception either, so that no stream ever carries the parser's text.
            throw Invalid(path, $"it is not valid YAML (line {e.Start.Line}, column {e.Start.Column}).");
        }
        catch (Exception e) when (e is YamlException || e is ArgumentException)
        {
            // Duplicate keys surface as ArgumentException from the node dictionary.
            throw Invalid(path, "it is not valid YAML (a key is repeated, or the structure is broken).");
        }
        if (stream.Documents.Count == 0) return null;
        if (stream.Documents.Count > 1) throw Invalid(path, "it holds more than one YAML document.");
        var root = stream.Documents[0].RootNode;
        if (root is YamlScalarNode scalar && IsNull(scalar)) return null;
        if (root is YamlMappingNode mapping) return mapping;
        throw Invalid(path, $"its top level is a {Kind(root)}, not a mapping of keys.");
    }

    /// <summary>
    /// A deployment.yaml is a flat list of settings. Aliases (*name) are refused before the
    /// document is built: one that refers to its own anchor makes a cyclic graph that every
    /// walk over it follows until the stack overflows (which kills the process), and a chain of
    /// aliases to aliases ("billion laughs") expands to gigabytes. Nesting is bounded for the
    /// same reason: building the node tree recurses once per level.
    /// </summary>
    private static void RefuseAliasesAndDeepNesting(string text, string path)
    {
        var parser = new Parser(new StringReader(text));
        var depth = 0;
        while (parser.MoveNext())
        {
            switch (parser.Current)
            {
                case AnchorAlias alias:
                    throw Invalid(path, $"it uses a YAML alias (line {alias.Start.Line}), which NaraAuth does not follow; write the value out instead.");
                case MappingStart:
                case SequenceStart:
                    if (++depth > MaxDepth)
                        throw Invalid(path, $"it nests more than {MaxDepth} levels deep.");
                    break;
                case MappingEnd:
                case SequenceEnd:
                    depth--;
                    break;
            }
        }
    }

    private static string Kind(YamlNode node) => node switch
    {
        YamlMappingNode => "mapping",
        YamlSequenceNode => "list",
        _ => "single value",
    };

    private static NaraAuthException Invalid(string path, string why) =>
        new("WorkerConfigInvalid", NaraErrorCategory.InvalidData,
            $"The NodeTool config file '{path}' cannot be used: {why}",
            $"Fix the file, or move it away so that a new one can be created. It must be YAML with the line '{TokenKey}: <token>'.",
            path);
}
