using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using AiSidecar.ExtProc.Bench;

namespace AiSidecar.ExtProc.Benchmarks;

/// <summary>
/// Chat bodies of 1, 4 and 8 MiB for the counting-cost benchmarks (issue 10): one long word with no natural split
/// (random a-z, spaces, <c>!</c>, one repeated letter), the realistic mostly-English mix of <see cref="ChatBodies"/>,
/// and natural Chinese and Japanese prose. Deterministic; each starts its prompt with <see cref="RequestStamp.Marker"/>.
/// </summary>
public sealed class HardeningBodies
{
    private static readonly JavaScriptEncoder Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    // Natural CJK prose: clauses between the scripts' own punctuation, as real Chinese and Japanese text has them.
    private static readonly string[] CjkCorpus =
    [
        "昨天晚上，运维团队发现推理集群的延迟突然升高，于是立即检查了每个节点的显卡使用率。",
        "根据监控数据，问题出现在小模型池，请求排队的时间从几十毫秒增加到了好几秒。",
        "我们决定先把一部分流量转到中等规模的模型池，同时继续分析日志，寻找根本原因。",
        "请把下面这段说明翻译成简洁的中文，并保留所有配置项的原始名称。",
        "这个服务在高峰期每秒要处理上千个请求，因此每一毫秒的开销都值得认真对待。",
        "如果提示词特别长，分词器会花更多的时间，路由决定也会相应地变慢。",
        "他在报告的最后写道：缓存命中率下降，主要是因为新版本改变了系统提示的内容。",
        "为了安全起见，任何包含个人信息的请求都不能被记录到日志里，也不能离开本地区域。",
        "春天来了，公园里的樱花开得正好，很多人周末带着家人去散步、拍照和野餐。",
        "老师提醒大家，考试前一定要好好休息，不要熬夜，也要记得吃早饭。",
        "新的部署流程上线以后，发布一个版本所需的时间从两个小时缩短到了二十分钟。",
        "会议纪要：第一，明确负责人；第二，确定时间表；第三，每周五汇报一次进展。",
        "昨日の夜、推論クラスタの応答時間が急に長くなったため、担当者がすぐに原因を調べ始めました。",
        "この設定を変更すると、長いプロンプトは中規模のモデルプールに送られるようになります。",
        "来週の会議では、キャッシュの効果と今後の改善計画について詳しく説明する予定です。",
        "東京は朝から雨が降っていましたが、午後になって少しずつ晴れてきました。",
        "申し訳ありませんが、もう一度手順を確認してから、結果を報告していただけますか。",
        "오늘 오후에 배포한 새 버전은 응답 시간을 크게 줄였지만, 메모리 사용량은 조금 늘었습니다.",
    ];

    private HardeningBodies(string name, int size)
    {
        Name = name;
        Size = size;
        Bytes = name switch
        {
            "prose" => ChatBodies.Chat(size),
            "cjk" => OneMessage(size, (builder, bytes) => AppendCjk(builder, bytes)),
            "letters" => OneMessage(size, (builder, bytes) => AppendRandomLetters(builder, bytes)),
            "spaces" => OneMessage(size, (builder, bytes) => builder.Append(' ', bytes)),
            "bangs" => OneMessage(size, (builder, bytes) => builder.Append('!', bytes)),
            "repeated" => OneMessage(size, (builder, bytes) => builder.Append('a', bytes)),
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
        };
    }

    /// <summary>Every input at 1, 4 and 8 MiB.</summary>
    public static IEnumerable<HardeningBodies> All { get; } =
        [.. from mib in new[] { 1, 4, 8 } from name in new[] { "letters", "spaces", "bangs", "repeated", "prose", "cjk" } select new HardeningBodies(name, mib << 20)];

    public string Name { get; }

    /// <summary>The body's target size in bytes.</summary>
    public int Size { get; }

    public byte[] Bytes { get; }

    public override string ToString() => $"{Name}-{Size >> 20}MiB";

    /// <summary>A chat body of at most <paramref name="size"/> bytes holding one user message: the stamp, a space, then the text.</summary>
    private static byte[] OneMessage(int size, Action<StringBuilder, int> text)
    {
        const int Envelope = 128;
        var content = new StringBuilder(size);
        content.Append(RequestStamp.Marker).Append(' ');
        text(content, size - Envelope - content.Length);
        var buffer = new ArrayBufferWriter<byte>(size);
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = Encoder }))
        {
            json.WriteStartObject();
            json.WriteString("model", ChatBodies.Model);
            json.WriteStartArray("messages");
            json.WriteStartObject();
            json.WriteString("role", "user");
            json.WriteString("content", content.ToString());
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.Length <= size ? buffer.WrittenSpan.ToArray() : throw new InvalidOperationException("The body outgrew its size.");
    }

    private static void AppendRandomLetters(StringBuilder builder, int count)
    {
        var random = new Random(10);
        for (var i = 0; i < count; i++)
        {
            builder.Append((char)('a' + random.Next(26)));
        }
    }

    private static void AppendCjk(StringBuilder builder, int utf8Bytes)
    {
        var random = new Random(11);
        var size = 0;
        while (true)
        {
            var sentence = CjkCorpus[random.Next(CjkCorpus.Length)];
            size += Encoding.UTF8.GetByteCount(sentence);
            if (size > utf8Bytes)
            {
                return;
            }

            builder.Append(sentence);
        }
    }
}
