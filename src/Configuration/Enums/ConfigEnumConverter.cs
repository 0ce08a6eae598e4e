using System.ComponentModel;
using System.Globalization;

namespace AiSidecar.Configuration;

/// <summary>
/// Converts an enum from its config spelling (<see cref="ConfigNameAttribute"/>) or member name, case-insensitively,
/// and back to the config spelling; put it on the enum with <c>[TypeConverter(typeof(ConfigEnumConverter&lt;T&gt;))]</c>
/// so the configuration binder binds through it.
/// </summary>
/// <typeparam name="TEnum">The enum type.</typeparam>
public sealed class ConfigEnumConverter<TEnum> : TypeConverter
    where TEnum : struct, Enum
{
    /// <inheritdoc/>
    public override bool CanConvertFrom(ITypeDescriptorContext? context, Type sourceType) =>
        sourceType == typeof(string) || base.CanConvertFrom(context, sourceType);

    /// <inheritdoc/>
    public override bool CanConvertTo(ITypeDescriptorContext? context, Type? destinationType) =>
        destinationType == typeof(string) || base.CanConvertTo(context, destinationType);

    /// <inheritdoc/>
    public override object? ConvertFrom(ITypeDescriptorContext? context, CultureInfo? culture, object value)
    {
        if (value is string text)
        {
            return ConfigEnumNames.TryParse<TEnum>(text, out var parsed)
                ? parsed
                : throw new FormatException($"'{text}' is not one of {string.Join(", ", ConfigEnumNames.Names(typeof(TEnum)))}.");
        }

        return base.ConvertFrom(context, culture, value);
    }

    /// <inheritdoc/>
    public override object? ConvertTo(ITypeDescriptorContext? context, CultureInfo? culture, object? value, Type destinationType)
    {
        if (destinationType == typeof(string) && value is TEnum member)
        {
            return ConfigEnumNames.ToConfigName(member);
        }

        return base.ConvertTo(context, culture, value, destinationType);
    }

    /// <inheritdoc/>
    public override bool GetStandardValuesSupported(ITypeDescriptorContext? context) => true;

    /// <inheritdoc/>
    public override bool GetStandardValuesExclusive(ITypeDescriptorContext? context) => true;

    /// <inheritdoc/>
    public override StandardValuesCollection GetStandardValues(ITypeDescriptorContext? context) => new(Enum.GetValues<TEnum>());
}
