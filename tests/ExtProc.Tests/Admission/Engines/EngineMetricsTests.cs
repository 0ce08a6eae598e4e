using System.Text;
using AiSidecar.ExtProc.Admission.Engines;
using AiSidecar.ExtProc.Bench;

namespace AiSidecar.ExtProc.Tests.Admission.Engines;

public sealed class EngineMetricsTests
{
    private static EngineReading Read(EngineKind kind, string page)
    {
        var metrics = EngineMetrics.For(kind);
        return metrics.Read(MetricsTextParser.Parse(Encoding.UTF8.GetBytes(page), metrics.Wanted));
    }

    [Fact]
    public void Read_VllmPage_GivesQueueBatchKvAndCapacityFromCacheConfig()
    {
        var reading = Read(EngineKind.Vllm, EnginePages.Vllm(waiting: 4, running: 12, kvUsage: 0.625, gpuBlocks: 27153));

        Assert.Equal(new EngineReading(4, 12, 0.625, 27153L * 16), reading);
    }

    [Fact]
    public void Read_VllmWithTwoEngines_SumsCountsAndCapacityAndTakesTheFullestCache()
    {
        var page = EnginePages.Vllm(waiting: 2, running: 5, kvUsage: 0.5, gpuBlocks: 1000, engines: 2).Replace(
            "vllm:kv_cache_usage_perc{engine=\"1\",model_name=\"meta-llama/Llama-3.1-8B-Instruct\"} 0.5",
            "vllm:kv_cache_usage_perc{engine=\"1\",model_name=\"meta-llama/Llama-3.1-8B-Instruct\"} 0.9", StringComparison.Ordinal);

        Assert.Equal(new EngineReading(4, 10, 0.9, 2 * 1000L * 16), Read(EngineKind.Vllm, page));
    }

    [Fact]
    public void Read_OldVllmCacheName_IsUsedWhenTheNewOneIsAbsent()
    {
        Assert.Equal(0.25, Read(EngineKind.Vllm, EnginePages.Vllm(1, 1, 0.25, oldCacheName: true)).KvUsage);
    }

    [Fact]
    public void Read_SglangPage_GivesQueueRunningTokenUsageAndMaxTotalTokens()
    {
        Assert.Equal(new EngineReading(7, 30, 0.28, 161_721), Read(EngineKind.Sglang, EnginePages.Sglang(queued: 7, running: 30, tokenUsage: 0.28)));
    }

    [Fact]
    public void Read_TgiPage_GivesQueueAndBatchAndNoKv()
    {
        Assert.Equal(new EngineReading(3, 16, null, null), Read(EngineKind.Tgi, EnginePages.Tgi(queueSize: 3, batchSize: 16)));
    }

    [Fact]
    public void Read_TrtllmPage_GivesQueueRunningUtilizationAndBlocksTimesTokensPerBlock()
    {
        Assert.Equal(new EngineReading(2, 8, 0.4, 4096L * 32), Read(EngineKind.Trtllm, EnginePages.Trtllm(waiting: 2, running: 8, kvUtilization: 0.4)));
    }

    [Fact]
    public void Read_MissingMetricsAndNaN_ReadAsNull()
    {
        var page = "# TYPE vllm:num_requests_waiting gauge\nvllm:num_requests_waiting{engine=\"0\"} NaN\nvllm:cache_config_info{block_size=\"16\",num_gpu_blocks=\"None\"} 1.0\n";

        Assert.Equal(new EngineReading(null, null, null, null), Read(EngineKind.Vllm, page));
    }

    [Fact]
    public void Read_KvUsageOutOfRange_IsClamped()
    {
        Assert.Equal(1, Read(EngineKind.Sglang, "sglang:token_usage{model_name=\"m\"} 1.02\n").KvUsage);
    }
}
