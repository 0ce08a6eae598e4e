using System.Globalization;
using System.Text.RegularExpressions;

namespace AiSidecar.ExtProc.Tests.Observability;

/// <summary>
/// Argo Rollouts' verdict on one Prometheus measurement, for the conditions the AnalysisTemplate is written in. Argo
/// passes an instant vector's values as <c>result</c> (an empty list when the query returns nothing) and evaluates
/// the successCondition with expr-lang: <c>&amp;&amp;</c> binds tighter than <c>||</c>, both short-circuit, a
/// comparison with NaN is false, and an index out of range is an error. Without a failureCondition, a false
/// successCondition makes the measurement Failed. Terms understood: <c>len(result) OP n</c> and <c>result[i] OP n</c>;
/// anything else throws, so a condition outside this subset cannot pass unnoticed.
/// </summary>
internal static partial class AnalysisCondition
{
    /// <summary>Successful, Failed or Error, as Argo marks the measurement.</summary>
    public static string Verdict(string condition, IReadOnlyList<double> result)
    {
        try
        {
            return Evaluate(condition, result) ? "Successful" : "Failed";
        }
        catch (ArgumentOutOfRangeException)
        {
            return "Error";
        }
    }

    private static bool Evaluate(string condition, IReadOnlyList<double> result) =>
        condition.Split("||").Any(any => any.Split("&&").All(term => Term(term.Trim(), result)));

    private static bool Term(string term, IReadOnlyList<double> result)
    {
        var match = TermShape().Match(term);
        if (!match.Success)
        {
            throw new FormatException($"'{term}' is not a condition term these tests evaluate.");
        }

        double left;
        if (match.Groups["len"].Success)
        {
            left = result.Count;
        }
        else
        {
            var index = int.Parse(match.Groups["index"].Value, CultureInfo.InvariantCulture);
            left = index < result.Count ? result[index] : throw new ArgumentOutOfRangeException(nameof(result), $"result[{index}] of {result.Count} values");
        }

        var right = double.Parse(match.Groups["number"].Value, CultureInfo.InvariantCulture);
        return match.Groups["op"].Value switch
        {
            "==" => left == right,
            "!=" => left != right,
            "<=" => left <= right,
            ">=" => left >= right,
            "<" => left < right,
            _ => left > right,
        };
    }

    [GeneratedRegex(@"^(?:(?<len>len\(result\))|result\[(?<index>\d+)\])\s*(?<op>==|!=|<=|>=|<|>)\s*(?<number>-?[0-9]+(?:\.[0-9]+)?)$")]
    private static partial Regex TermShape();
}
