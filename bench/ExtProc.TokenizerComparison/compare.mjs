// Side-by-side counting throughput: the references (tiktoken WASM, HF tokenizers via N-API) against the server's
// ITokenCounter (Program.cs beside this file), on the golden corpus, in one run.
// Usage: bench/compare-tokenizers.sh [rounds]  (installs the references with npm ci, then runs this file)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { corpus } from '../../tools/tokenizer-goldens/corpus.mjs';
import { Template, hfModels, loadHf, loadTiktoken, modelFile, tiktokenEncodings, tokenText } from '../../tools/tokenizer-goldens/references.mjs';

const rounds = Number(process.argv[2] ?? 7);
const texts = corpus.map((c) => c.text).filter((t) => t.length > 0 && t.isWellFormed());
const long = texts.filter((t) => t.length > 150);
const conversation = Array.from({ length: 20 }, (_, i) => ({ role: i % 2 === 0 ? 'user' : 'assistant', content: long[i % long.length] }));
const turns = conversation.map((_, i) => i + 1).filter((n) => conversation[n - 1].role === 'user').map((n) => conversation.slice(0, n));

// Best (minimum) ms of one run over the rounds, after two seconds of warm-up (V8's optimizing tiers, as in a long-running server).
async function time(fn) {
  const warm = Date.now();
  while (Date.now() - warm < 2000) await fn();
  const samples = [];
  for (let i = 0; i < rounds; i++) {
    const start = process.hrtime.bigint();
    await fn();
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return Math.min(...samples);
}

const reference = {};
const models = [];
for (const name of tiktokenEncodings) {
  const enc = loadTiktoken(name);
  const chat = (messages) => messages.reduce((n, m) => n + 3 + enc.encode(m.role).length + enc.encode(m.content).length, 3);
  reference[name] = {
    single_ms: await time(() => texts.reduce((n, t) => n + enc.encode(t).length, 0)),
    multi_turn_ms: await time(() => turns.reduce((n, t) => n + chat(t), 0)),
    last_turn_ms: await time(() => chat(turns.at(-1))),
  };
  models.push({ name, encoding: name, template: 'openai' });
}

for (const model of hfModels.filter((m) => m.family)) {
  const tok = loadHf(model);
  const template = new Template(tok.config.chat_template);
  const render = (messages) => template.render({ messages, add_generation_prompt: true, bos_token: tokenText(tok.config.bos_token) ?? '', eos_token: '' });
  const rendered = turns.map(render);
  let single = 0;
  reference[model.name] = {
    single_ms: await time(async () => { single = 0; for (const t of texts) single += (await tok.encode(t)).length; }),
    multi_turn_ms: await time(async () => { for (const r of rendered) await tok.encode(r); }),
    last_turn_ms: await time(async () => { await tok.encode(rendered.at(-1)); }),
    render_ms: await time(() => turns.forEach(render)),
  };
  models.push({ name: model.name, file: modelFile(model.pkg, 'tokenizer.json'), template: model.family });
}

const dir = mkdtempSync(join(tmpdir(), 'tokbench-'));
writeFileSync(join(dir, 'workload.json'), JSON.stringify({ rounds, texts, conversation, models }));
const project = new URL('./ExtProc.TokenizerComparison.csproj', import.meta.url).pathname;
const ours = JSON.parse(execFileSync('dotnet', ['run', '-c', 'Release', '--project', project, '--', join(dir, 'workload.json')], { encoding: 'utf8', maxBuffer: 1 << 24 }).trim().split('\n').at(-1));

const f = (x) => x.toFixed(2);
console.log(`memory: ${ours.memory.tokenizers} tokenizers loaded, RSS ${f(ours.memory.rss_mb)} MB, managed heap ${f(ours.memory.managed_mb)} MB`);
console.log(`corpus: ${texts.length} texts, ${texts.reduce((n, t) => n + t.length, 0)} chars; chat: ${conversation.length} messages, ${turns.length} requests; best of ${rounds} runs each`);
console.log('| tokenizer | single: ref ms | ours ms | ratio | multi-turn: ref ms (tokenize only) | ours cold | ratio | ours cached | ratio | last turn cached / cold |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const m of models.filter((x) => ours[x.name])) {
  const r = reference[m.name];
  const o = ours[m.name];
  console.log(`| ${m.name} | ${f(r.single_ms)} | ${f(o.single_ms)} | ${f(r.single_ms / o.single_ms)}× | ${f(r.multi_turn_ms)} | ${f(o.multi_turn_cold_ms)} | ${f(r.multi_turn_ms / o.multi_turn_cold_ms)}× | ${f(o.multi_turn_cached_ms)} | ${f(r.multi_turn_ms / o.multi_turn_cached_ms)}× | ${(100 * o.last_turn_cached_ms / o.last_turn_cold_ms).toFixed(1)}% |`);
}
