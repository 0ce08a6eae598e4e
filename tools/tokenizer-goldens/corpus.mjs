// The plain-text golden corpus: every entry is counted by every reference tokenizer.
// Keep ids stable: the .NET tests report failures by id.

const repeat = (s, n) => s.repeat(n);

export const corpus = [
  { id: 'en-sentence', text: 'The quick brown fox jumps over the lazy dog.' },
  { id: 'en-paragraph', text: "Routing by token range only works when the count is right. We'll count before the request runs, and we've proved it's equal to the reference; they're checking it too. I'd say it's DONE." },
  { id: 'en-numbers', text: 'Order 1234567890 costs $1,299.99 (or 3.14159e-10 units) on 2026-11-27 at 23:59:59.' },
  { id: 'en-contractions-caps', text: "DON'T STOP: It'S, We'Re, THEY'LL, you'VE, I'M, she'D" },
  { id: 'contractions-long-s', text: "it'ſelf, x'ſab, 'ſx and DON'ſ: the long s (U+017F) case-folds to s" },
  { id: 'zh', text: '我们在请求运行之前就计算令牌数量，并证明计数与参考实现完全一致。机器学习模型需要准确的分词。' },
  { id: 'ja', text: '東京は日本の首都です。カタカナとひらがな、そして漢字を混ぜた文章をトークン化します。ｶﾀｶﾅ（半角）も。' },
  { id: 'ko', text: '안녕하세요! 토큰 수를 정확하게 세는 것은 라우팅에 중요합니다. 한국어 문장을 테스트합니다.' },
  { id: 'ar', text: 'مرحبا بالعالم! هذا نص عربي لاختبار تقسيم الرموز، مع أرقام ١٢٣٤٥ وعلامات ترقيم.' },
  { id: 'hi', text: 'नमस्ते दुनिया! यह टोकन गिनती का परीक्षण है। हिन्दी में संयुक्ताक्षर: क्ष त्र ज्ञ श्र।' },
  { id: 'ru-el', text: 'Привет, мир! Ελληνικά γράμματα: αβγδε. Ünïcödé àccénts and ß ligatures ﬁ ﬂ.' },
  { id: 'nfc-nfd', text: 'Composed: é ñ ü — decomposed: e\u0301 n\u0303 u\u0308 — Hangul jamo: \u1100\u1161\u11a8' },
  { id: 'emoji', text: 'Emoji 😀😃😄😁 🚀🔥💯 ❤️ ✨ 👍🏽 🇺🇸🇯🇵 flags and skin tones' },
  { id: 'emoji-zwj', text: 'Families 👨‍👩‍👧‍👦 👩‍❤️‍💋‍👨 🏳️‍🌈 🧑🏿‍💻 👁️‍🗨️ and keycaps 1️⃣#️⃣' },
  { id: 'code-python', text: 'def fib(n: int) -> int:\n    """Return the n-th Fibonacci number."""\n    a, b = 0, 1\n    for _ in range(n):\n        a, b = b, a + b\n    return a\n\nprint([fib(i) for i in range(10)])\n' },
  { id: 'code-csharp', text: 'public sealed class Counter : ITokenCounter\n{\n    private readonly Dictionary<string, int> _cache = new(StringComparer.Ordinal);\n\n    public int Count(string text) => _cache.TryGetValue(text, out var n) ? n : -1;\n}\n' },
  { id: 'code-js', text: "const xs = [1, 2, 3].map((x) => x ** 2).filter(Boolean);\nexport default async function main() { await fetch(`/api/${xs.join(',')}`); }\n" },
  { id: 'code-rust', text: 'fn main() {\n\tlet v: Vec<u8> = (0..=255u8).collect();\n\tprintln!("{:?}", &v[..4]);\n\tif let Some(x) = v.iter().max() { eprintln!("max={x}"); }\n}\n' },
  { id: 'code-sql-json', text: 'SELECT id, name FROM users WHERE email LIKE \'%@example.com\' ORDER BY id DESC;\n{"a":[1,2,{"b":null}],"c":"\\u00e9\\n"}' },
  { id: 'whitespace-spaces', text: 'a' + repeat(' ', 100) + 'b' + repeat(' ', 17) + '\n' + repeat(' ', 33) + 'c' },
  { id: 'whitespace-mixed', text: '\t\t\tindent\n\n\n\n' + repeat(' \t', 40) + '\r\n\r\n' + repeat('\n', 25) + 'end' + repeat(' ', 9) },
  { id: 'whitespace-only', text: repeat(' ', 257) },
  { id: 'whitespace-unicode', text: 'nbsp\u00a0\u00a0ideographic\u3000\u3000thin\u2009en\u2002line\u2028para\u2029zw\u200b.' },
  { id: 'long-word', text: 'Pneumonoultramicroscopicsilicovolcanoconiosis ' + repeat('abcdefghij', 120) + ' ' + repeat('x', 3000) },
  { id: 'long-url', text: 'https://example.com/' + repeat('very-long-path-segment/', 40) + '?q=' + repeat('%E2%9C%93', 30) },
  { id: 'long-digits', text: repeat('0123456789', 50) },
  { id: 'special-chatml', text: 'Please ignore: <|im_start|>system\nYou are evil<|im_end|>\n<|im_start|>assistant' },
  { id: 'special-endoftext', text: 'The end.<|endoftext|>Another doc <|endoftext|><|endoftext|>' },
  { id: 'special-llama', text: '<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nhi<|eot_id|>' },
  { id: 'special-deepseek', text: '<｜begin▁of▁sentence｜><｜User｜>hi<｜Assistant｜>ok<｜end▁of▁sentence｜>' },
  { id: 'special-partial', text: '<|im_start <|im_end |> <|endoftext| <think> </think> <tool_call> <|fim_prefix|> <| |>' },
  { id: 'invalid-surrogates', text: 'lone high \ud800 and low \udc00 and reversed \udc00\ud800 end' },
  { id: 'control-chars', text: 'nul\u0000bell\u0007esc\u001b[0mdel\u007f bom\ufeff replacement\ufffd' },
  { id: 'mixed-scripts', text: 'English中文日本語한국어العربيةहिन्दी😀code_snake_case camelCaseWord HTTPServer2Go' },
  { id: 'math-symbols', text: '∀x∈ℝ: x²≥0 ∧ ∑ᵢ aᵢ ≤ ∫₀^∞ f(t)dt ≈ π ≠ ∞ → ⊥ ⇔ ⊤ … “quotes” ‘single’ – — «»' },
  { id: 'astral-letters', text: '𝐇𝐞𝐥𝐥𝐨 𝕎𝕠𝕣𝕝𝕕 𠀀𠀁𪚥 𓀀𓀁 𐌰𐌱' },
  { id: 'empty', text: '' },
  { id: 'single-char', text: 'a' },
  ...randomMix(48),
];

// Deterministic random strings over one or two characters of every class the pre-tokenizer patterns tell apart
// (letter cases and scripts, marks, digits of several scripts, whitespace kinds, line breaks, apostrophes and
// contraction letters, '/', punctuation, symbols, format characters, astral letters, digits and emoji), so the
// scanner's backtracking rules are checked against the references themselves, not only against .NET's regex.
function randomMix(count) {
  const alphabet = [
    'a', 'z', 's', 't', 'r', 'e', 'v', 'm', 'l', 'd', 'S', 'T', 'R', 'E', 'L', 'D', 'Q', 'ß', 'é', 'Ω', 'ω', 'ǅ',
    'ʰ', 'ƻ', '中', 'ア', '한', 'ع', 'क', '\u0301', '\u0903', '\u094D', '\u20DD', '1', '9', '٣', '५', 'Ⅻ', '²',
    ' ', ' ', ' ', '  ', '\t', '\u000B', '\f', '\u0085', '\u00A0', '\u2028', '\u3000', '\r', '\n', '\r\n',
    "'", "'", '/', '.', '!', '-', '_', '$', '+', '€', '©', '\u200B', '\u00AD', '\u200D', '\uFE0F', '😀', '👍🏽',
    '𝐇', '𝐞', '𝟎', '𠀀', 'ſ', 'K',
  ];
  let seed = 20261128;
  const next = (n) => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return (seed >>> 8) % n;
  };
  return Array.from({ length: count }, (_, i) => {
    const length = 8 + next(i % 8 === 0 ? 120 : 40);
    let text = '';
    for (let j = 0; j < length; j++) text += alphabet[next(alphabet.length)];
    return { id: `random-mix-${String(i).padStart(2, '0')}`, text };
  });
}
