using System.Text;
using AiSidecar.ExtProc.Admission.Engines;
using AiSidecar.ExtProc.Bench;
using BenchmarkDotNet.Attributes;

namespace AiSidecar.ExtProc.Benchmarks;

/// <summary>
/// CPU of reading one scraped page (parse + per-engine mapping), the part of a scrape the server does besides HTTP:
/// a realistic vLLM page with every request histogram, as <see cref="EngineScraper"/> reads it.
/// 50 endpoints every 250 ms is 200 pages a second: the mean here × 200 is the parsing share of a core.
/// </summary>
[MemoryDiagnoser]
public class EngineScrapeBenchmarks
{
    private readonly EngineMetrics _vllm = EngineMetrics.For(EngineKind.Vllm);
    private byte[] _page = [];

    [GlobalSetup]
    public void Setup()
    {
        _page = Encoding.UTF8.GetBytes(EnginePages.Vllm(waiting: 4, running: 12, kvUsage: 0.625));
        if (Read() != new EngineReading(4, 12, 0.625, 27153L * 16))
        {
            throw new InvalidOperationException("The page does not read as written.");
        }
    }

    [Benchmark]
    public double? ReadVllmPage() => Read().Waiting;

    private EngineReading Read() => _vllm.Read(MetricsTextParser.Parse(_page, _vllm.Wanted));
}
