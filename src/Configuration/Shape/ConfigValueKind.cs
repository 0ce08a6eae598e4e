namespace AiSidecar.Configuration;

/// <summary>How the configuration binder treats a type.</summary>
internal enum ConfigValueKind
{
    /// <summary>Converted from one string with its <see cref="System.ComponentModel.TypeConverter"/>.</summary>
    Scalar,

    /// <summary>A list or array: children keyed 0..n-1.</summary>
    List,

    /// <summary>A dictionary: children keyed by any name.</summary>
    Dictionary,

    /// <summary>A class or struct: children keyed by its property names.</summary>
    Object,

    /// <summary>Something the checker does not look into (<c>object</c>, interfaces, abstract classes).</summary>
    Unsupported,
}
