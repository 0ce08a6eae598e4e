using System.Text.Json;
using AiSidecar.ExtProc.Errors;

namespace AiSidecar.ExtProc.Inspection;

/// <summary>Typed reads of optional request fields; a wrong type raises an <see cref="InspectionException"/>.</summary>
internal static class JsonFields
{
    /// <summary>The property's value, or null when it is missing or JSON null.</summary>
    public static JsonElement? Find(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    /// <summary>The property's value; raises a missing-field error when it is missing or null.</summary>
    public static JsonElement Require(JsonElement obj, string name) =>
        Find(obj, name) ?? throw new InspectionException(ApiErrors.MissingField(name));

    public static string? OptionalString(JsonElement obj, string name, string param)
    {
        var value = Find(obj, name);
        return value is null ? null : String(value.Value, param);
    }

    public static string String(JsonElement value, string param) =>
        value.ValueKind == JsonValueKind.String ? value.GetString()! : throw Invalid(param, "a string");

    public static bool OptionalBool(JsonElement obj, string name) =>
        Find(obj, name) is not { } value ? false
        : value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Invalid(name, "a boolean"),
        };

    public static int? OptionalCount(JsonElement obj, string name) =>
        Find(obj, name) is not { } value ? null
        : value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n) && n >= 0 ? n
        : throw Invalid(name, "a non-negative integer");

    public static void RequireKind(JsonElement value, JsonValueKind kind, string param, string expected)
    {
        if (value.ValueKind != kind)
        {
            throw Invalid(param, expected);
        }
    }

    public static InspectionException Invalid(string param, string expected) =>
        new(ApiErrors.InvalidField(param, expected));
}
