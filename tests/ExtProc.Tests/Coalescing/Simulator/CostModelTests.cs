using AiSidecar.EngineSimulator;

namespace AiSidecar.ExtProc.Tests.Coalescing.Simulator;

/// <summary>The cost model's arithmetic and the ideal throughput the benchmark divides by.</summary>
public sealed class CostModelTests
{
    [Fact]
    public void TeiL4_OneClientAtBatchOneAndEight_ThePublishedTextsPerSecond()
    {
        Assert.Equal(265, CostModel.TeiL4.ItemsPerSecond(1, withRequestCost: true), 0);
        Assert.Equal(903, CostModel.TeiL4.ItemsPerSecond(8, withRequestCost: true), 0);
    }

    [Fact]
    public void Pass_PoolingAndDecoding_EachKindsFixedCostPlusItsPerItemCost()
    {
        var cost = new CostModel
        {
            BatchCost = TimeSpan.FromMicroseconds(100),
            ItemCost = TimeSpan.FromMicroseconds(10),
            DecodeStepCost = TimeSpan.FromMicroseconds(1000),
            DecodeSequenceCost = TimeSpan.FromMicroseconds(1),
        };

        Assert.Equal(TimeSpan.Zero, cost.Pass(0, 0));
        Assert.Equal(TimeSpan.FromMicroseconds(130), cost.Pass(3, 0));
        Assert.Equal(TimeSpan.FromMicroseconds(1004), cost.Pass(0, 4));
        Assert.Equal(TimeSpan.FromMicroseconds(130 + 1004), cost.Pass(3, 4));
    }

    [Fact]
    public void TeiL4_Generation_SixteenSequencesGive24TimesTheTokensPerSecondOfOne()
    {
        var one = 1 / CostModel.TeiL4.Pass(0, 1).TotalSeconds;
        var sixteen = 16 / CostModel.TeiL4.Pass(0, 16).TotalSeconds;

        Assert.Equal(2.4, sixteen / one, 1);
    }

    [Theory]
    [InlineData(SimulatorMode.Serial, 32 / (0.001 + 0.002047 + (32 * 0.000727)))]
    [InlineData(SimulatorMode.Batching, 256 / (0.002047 + (256 * 0.000727)))]
    public async Task IdealItemsPerSecond_TeiL4_TheBestBatchOfTheMode(SimulatorMode mode, double expected)
    {
        await using var simulator = await AiSidecar.EngineSimulator.EngineSimulator.StartAsync(new SimulatorOptions { Mode = mode });

        Assert.Equal(expected, simulator.IdealItemsPerSecond, 6);
    }

    [Fact]
    public void ItemsPerSecond_Free_Unbounded()
    {
        Assert.Equal(double.PositiveInfinity, CostModel.Free.ItemsPerSecond(1, withRequestCost: true));
        Assert.Throws<ArgumentOutOfRangeException>(() => CostModel.Free.ItemsPerSecond(0, withRequestCost: false));
    }

    [Fact]
    public void FromProfile_KnownAndUnknownNames()
    {
        Assert.Same(CostModel.TeiL4, CostModel.FromProfile("tei-l4"));
        Assert.Same(CostModel.Free, CostModel.FromProfile("free"));
        Assert.Throws<ArgumentException>(() => CostModel.FromProfile("a100"));
    }

    [Theory]
    [InlineData("", 0)]
    [InlineData("   ", 0)]
    [InlineData("word", 1)]
    [InlineData(" the cat\tsat\n", 3)]
    [InlineData("don't stop", 2)]
    public void CountWords_Text_RunsOfNonWhitespace(string text, int words)
    {
        Assert.Equal(words, SimulatorOptions.CountWords(text));
    }
}
