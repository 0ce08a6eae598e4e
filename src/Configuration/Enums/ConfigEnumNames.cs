namespace AiSidecar.Configuration;

/// <summary>Reads and writes enum values in their config spelling (<see cref="ConfigNameAttribute"/>, else the member name).</summary>
public static class ConfigEnumNames
{
    /// <summary>The allowed config spellings of <paramref name="enumType"/>, in declaration order.</summary>
    public static IReadOnlyList<string> Names(Type enumType)
    {
        ArgumentNullException.ThrowIfNull(enumType);
        return enumType.IsEnum ? EnumSpellings.For(enumType).Names : throw new ArgumentException($"{enumType} is not an enum.", nameof(enumType));
    }

    /// <summary>The config spelling of <paramref name="value"/>.</summary>
    public static string ToConfigName<TEnum>(TEnum value)
        where TEnum : struct, Enum => EnumSpellings.For(typeof(TEnum)).SpellingOf(value) ?? value.ToString();

    /// <summary>Parses a config spelling or member name (case-insensitive); false for anything else, numbers included.</summary>
    public static bool TryParse<TEnum>(string? text, out TEnum value)
        where TEnum : struct, Enum
    {
        if (text is not null && EnumSpellings.For(typeof(TEnum)).TryParse(text, out var boxed))
        {
            value = (TEnum)boxed!;
            return true;
        }

        value = default;
        return false;
    }
}
