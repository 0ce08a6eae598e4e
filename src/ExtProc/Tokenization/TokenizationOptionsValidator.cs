using AiSidecar.ExtProc.Tokenization.Templates;
using Microsoft.Extensions.Options;

namespace AiSidecar.ExtProc.Tokenization;

/// <summary>Checks the model entries at start; a bad file is not a config error (it falls back at run time).</summary>
internal sealed class TokenizationOptionsValidator : IValidateOptions<TokenizationOptions>
{
    public ValidateOptionsResult Validate(string? name, TokenizationOptions options)
    {
        var errors = new List<string>();
        for (var i = 0; i < options.Models.Count; i++)
        {
            var model = options.Models[i];
            var at = $"tokenization.models[{i}]";
            if (model.Match.Count == 0 || model.Match.Any(string.IsNullOrEmpty))
            {
                errors.Add($"{at}.match must list at least one non-empty model name or pattern.");
            }

            if ((model.Encoding is null) == (model.File is null))
            {
                errors.Add($"{at} must set exactly one of encoding and file.");
            }
            else if (model.Encoding is { } encoding && !TiktokenTextTokenizer.IsKnown(encoding))
            {
                errors.Add($"{at}.encoding must be o200k_base or cl100k_base.");
            }

            if (!PromptFormats.Families.Contains(model.Template))
            {
                errors.Add($"{at}.template must be one of {string.Join(", ", PromptFormats.Families)}.");
            }
            else if (model.Template != PromptFormats.OpenAi && model.File is null)
            {
                errors.Add($"{at}.template {model.Template} needs a tokenizer.json file (its special tokens).");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
