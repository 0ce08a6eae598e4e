namespace AiSidecar.ExtProc.Tests.Observability;

/// <summary>The evaluator of Argo's conditions used on the live results behaves as Argo does on these shapes.</summary>
public sealed class AnalysisConditionTests
{
    [Theory]
    [InlineData("len(result) == 1 && result[0] <= 0.01", new[] { 0.0 }, "Successful")]
    [InlineData("len(result) == 1 && result[0] <= 0.01", new[] { 0.5 }, "Failed")]
    [InlineData("len(result) == 1 && result[0] <= 0.01", new double[0], "Failed")]
    [InlineData("len(result) == 1 && result[0] <= 0.01", new[] { double.NaN }, "Failed")]
    [InlineData("len(result) == 1 && result[0] <= 0.01", new[] { 0.0, 0.0 }, "Failed")]
    [InlineData("len(result) == 0 || result[0] <= 0.01", new double[0], "Successful")]
    [InlineData("result[0] <= 0.01", new double[0], "Error")]
    [InlineData("result[0] >= 2 || result[1] < 1", new[] { 1.0, 0.5 }, "Successful")]
    public void Verdict_Condition_IsArgosVerdict(string condition, double[] result, string verdict) =>
        Assert.Equal(verdict, AnalysisCondition.Verdict(condition, result));

    [Fact]
    public void Verdict_TermOutsideTheSubset_Throws() =>
        Assert.Throws<FormatException>(() => AnalysisCondition.Verdict("isNaN(result[0])", [1.0]));
}
