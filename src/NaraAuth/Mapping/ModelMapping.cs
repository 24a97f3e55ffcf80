namespace NaraAuth.Mapping;

/// <summary>
/// Every output object a cmdlet writes is filled here from Core's results, in one file per topic.
/// Output types may not expose Core's own types (Core lives in NaraAuth's load context), so each
/// Core result is copied into its twin in NaraAuth.Models; secrets become SecureStrings unless
/// the caller asked for plain text.
/// </summary>
internal static partial class ModelMapping
{
}
