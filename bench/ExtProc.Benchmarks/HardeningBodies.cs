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

    // Words of natural Chinese and Japanese text. Clauses of 2 to 12 random words, each ended by the scripts' own
    // punctuation, give pre-tokens of natural lengths that rarely repeat, as in a long real document (a few fixed
    // sentences would repeat, and the word cache would answer most of them).
    private static readonly string[] CjkWords =
    [
        .. "我们 你们 他们 今天 昨天 明天 时间 问题 方法 系统 服务 数据 模型 用户 请求 结果 原因 部分 需要 可以 应该 已经 开始 继续 发现 "
            .Split(' ', StringSplitOptions.RemoveEmptyEntries),
        .. "分析 处理 检查 增加 减少 提高 降低 使用 设置 配置 集群 节点 网络 延迟 内存 日志 报告 会议 计划 团队 工作 公司 城市 学校 "
            .Split(' ', StringSplitOptions.RemoveEmptyEntries),
        .. "老师 学生 朋友 家人 天气 春天 夏天 秋天 冬天 早上 晚上 周末 非常 特别 比较 一些 所有 每个 这个 那个 重要 简单 复杂 安全 "
            .Split(' ', StringSplitOptions.RemoveEmptyEntries),
        .. "稳定 快速 缓慢 清楚 认真 因为 所以 但是 如果 虽然 而且 或者 然后 的 了 在 是 有 和 也 都 就 要 会 对 从 到 把 被 让 给 "
            .Split(' ', StringSplitOptions.RemoveEmptyEntries),
        .. "推論 設定 変更 確認 結果 原因 会議 予定 説明 改善 東京 午後 雨 晴れ 少し 詳しく 担当者 応答 時間 長い 短い 新しい "
            .Split(' ', StringSplitOptions.RemoveEmptyEntries),
        .. "は が を に で と も から まで ます でした ません ください について として ように ため こと もの これ それ あれ "
            .Split(' ', StringSplitOptions.RemoveEmptyEntries),
    ];

    private static readonly string[] CjkPunctuation = ["，", "，", "，", "。", "。", "、", "；", "：", "！", "？", "「", "」"];

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

    /// <summary>
    /// Every input at 1, 4 and 8 MiB, or those named in the environment variable <c>HARDENING_INPUTS</c> (comma-separated,
    /// e.g. <c>prose,cjk</c>), which BenchmarkDotNet's child processes inherit.
    /// </summary>
    public static IEnumerable<HardeningBodies> All =>
        from mib in Sizes
        from name in Environment.GetEnvironmentVariable("HARDENING_INPUTS")?.Split(',') ?? Inputs
        select new HardeningBodies(name, mib << 20);

    private static readonly int[] Sizes = [1, 4, 8];

    private static readonly string[] Inputs = ["letters", "spaces", "bangs", "repeated", "prose", "cjk"];

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
        var clause = new StringBuilder();
        var size = 0;
        while (true)
        {
            clause.Clear();
            for (var words = random.Next(2, 13); words > 0; words--)
            {
                clause.Append(CjkWords[random.Next(CjkWords.Length)]);
            }

            clause.Append(CjkPunctuation[random.Next(CjkPunctuation.Length)]);
            size += Encoding.UTF8.GetByteCount(clause.ToString());
            if (size > utf8Bytes)
            {
                return;
            }

            builder.Append(clause);
        }
    }
}
