// Writes the golden files the .NET tests compare against: node generate.mjs [outDir]
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Template } from '@huggingface/jinja';
import { corpus } from './corpus.mjs';
import { conversations } from './conversations.mjs';
import { hfModels, loadHf, loadTiktoken, packageVersion, tiktokenEncodings, tokenText } from './references.mjs';

const outDir = resolve(process.argv[2] ?? new URL('../../tests/ExtProc.Tests/Tokenization/Goldens', import.meta.url).pathname);
mkdirSync(outDir, { recursive: true });

const isWellFormed = (s) => s.isWellFormed();


function utf16Units(text) {
  const units = [];
  for (let i = 0; i < text.length; i++) units.push(text.charCodeAt(i));
  return units;
}

function write(name, value) {
  writeFileSync(join(outDir, name), JSON.stringify(value, null, 1) + '\n');
  console.log(`wrote ${name}`);
}

async function plainGoldens(tokenizer, extra) {
  const cases = [];
  for (const entry of corpus) {
    const ids = await tokenizer.encode(entry.text);
    const fields = isWellFormed(entry.text) ? { text: entry.text } : { text: entry.text.toWellFormed(), utf16: utf16Units(entry.text) };
    cases.push({ id: entry.id, ...fields, count: ids.length, ids });
  }

  write(`plain.${tokenizer.name}.json`, { tokenizer: tokenizer.name, reference: tokenizer.reference, ...extra, cases });
}

/** OpenAI's documented chat overhead, counted with the reference encoding. */
function openAiChatGoldens(enc) {
  const count = (s) => enc.encode(s).length;
  const cases = [];
  for (const conv of conversations) {
    if (conv.only && !conv.only.includes('openai')) continue;
    let total = 3;
    for (const m of conv.messages) {
      total += 3 + count(m.role);
      if (m.name) total += 1 + count(m.name);
      const parts = typeof m.content === 'string' ? [m.content] : (m.content ?? []).filter((p) => p.type === 'text').map((p) => p.text);
      for (const p of parts) total += count(p);
    }
    cases.push({ id: conv.id, request: { messages: conv.messages }, count: total });
  }

  write(`chat.openai.${enc.name}.json`, { family: 'openai', tokenizer: enc.name, reference: `${enc.reference}, 3 per message + 1 per name + 3 reply priming`, cases });
}

/** vLLM parses tool-call arguments into objects before rendering (templates then write them with tojson). */
function withParsedArguments(messages) {
  return messages.map((m) => (m.tool_calls
    ? { ...m, tool_calls: m.tool_calls.map((c) => ({ ...c, function: { ...c.function, arguments: JSON.parse(c.function.arguments) } })) }
    : m));
}

async function templateGoldens(tok) {
  const template = new Template(tok.config.chat_template);
  const cases = [];
  for (const conv of conversations) {
    if (conv.only && !conv.only.includes(tok.family)) continue;
    const context = {
      messages: tok.family === 'chatml' ? withParsedArguments(conv.messages) : conv.messages,
      add_generation_prompt: true,
      bos_token: tokenText(tok.config.bos_token) ?? '',
      eos_token: tokenText(tok.config.eos_token) ?? '',
    };
    if (conv.tools) context.tools = conv.tools;
    Object.assign(context, conv.chat_template_kwargs ?? {});
    const rendered = template.render(context);
    const ids = await tok.encode(rendered);
    const request = { messages: conv.messages };
    if (conv.tools) request.tools = conv.tools;
    if (conv.chat_template_kwargs) request.chat_template_kwargs = conv.chat_template_kwargs;
    cases.push({ id: conv.id, request, rendered, count: ids.length, ids });
  }

  write(`chat.${tok.family}.${tok.name}.json`, {
    family: tok.family,
    tokenizer: tok.name,
    reference: `${tok.reference} over the chat_template of ${tok.source} rendered by @huggingface/jinja ${packageVersion('@huggingface/jinja')} with add_generation_prompt=true`,
    cases,
  });
}

for (const name of tiktokenEncodings) {
  const enc = loadTiktoken(name);
  await plainGoldens(enc, {});
  openAiChatGoldens(enc);
}

for (const model of hfModels) {
  const tok = loadHf(model);
  await plainGoldens(tok, { source: tok.source });
  if (tok.family) await templateGoldens(tok);
}
