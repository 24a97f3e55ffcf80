using System;

namespace NaraAuth.Mapping;

/// <summary>
/// Core's enums become the module's public enums by name. Output types may not expose Core's
/// own types (they live in NaraAuth's load context), so each has a twin in NaraAuth.Models; a
/// test checks every Core value has one.
/// </summary>
internal static class ModelEnum
{
    public static TModel From<TModel>(Enum core) where TModel : struct, Enum =>
        Enum.TryParse<TModel>(core.ToString(), ignoreCase: false, out var model)
            ? model
            : throw new InvalidOperationException($"{core.GetType().Name}.{core} has no {typeof(TModel).Name} twin.");
}
