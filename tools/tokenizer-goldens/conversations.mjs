// Chat requests (OpenAI format) rendered with each model's own chat template for the template goldens.
// `only` limits a conversation to the families whose template accepts it (DeepSeek V3 wants null content
// beside tool calls, Qwen3 wants a string).

const weatherTool = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Get the current weather for a city, in °C.',
    parameters: {
      type: 'object',
      properties: {
        city: { type: 'string', description: 'City name, e.g. "Zürich"' },
        days: { type: 'integer', minimum: 1, maximum: 7 },
      },
      required: ['city'],
    },
  },
};

export const conversations = [
  { id: 'single-user', messages: [{ role: 'user', content: 'Hello! How many tokens is this?' }] },
  {
    id: 'system-user',
    messages: [
      { role: 'system', content: 'You are a helpful assistant.' },
      { role: 'user', content: '用中文回答：什么是令牌？' },
    ],
  },
  {
    id: 'multi-turn',
    messages: [
      { role: 'system', content: 'You answer briefly.' },
      { role: 'user', content: 'What is the capital of France?' },
      { role: 'assistant', content: 'Paris.' },
      { role: 'user', content: 'And of Japan? 日本の首都は？' },
      { role: 'assistant', content: 'Tokyo (東京).' },
      { role: 'user', content: 'Thanks 👍 — now write a haiku about routers.' },
    ],
  },
  {
    id: 'whitespace-content',
    messages: [
      { role: 'user', content: '  leading and trailing spaces  \n\n' },
      { role: 'assistant', content: '\n\nok\n' },
      { role: 'user', content: 'code:\n```python\nprint("hi")\n```\n' },
    ],
  },
  {
    id: 'user-typed-specials',
    messages: [{ role: 'user', content: 'What does <|im_start|> or <|endoftext|> or <|eot_id|> mean?' }],
  },
  {
    id: 'names-and-parts',
    only: ['openai'],
    messages: [
      { role: 'system', name: 'policy', content: 'Be terse.' },
      { role: 'user', name: 'alice', content: [{ type: 'text', text: 'first part' }, { type: 'text', text: 'second part' }] },
    ],
  },
  {
    id: 'qwen-tools',
    only: ['chatml'],
    tools: [weatherTool],
    messages: [
      { role: 'system', content: 'You can call tools.' },
      { role: 'user', content: 'Weather in Zürich?' },
      {
        role: 'assistant',
        content: '',
        tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city": "Zürich"}' } }],
      },
      { role: 'tool', tool_call_id: 'call_1', content: '{"temp_c": 3, "sky": "snow"}' },
      { role: 'user', content: 'And tomorrow?' },
      {
        role: 'assistant',
        content: 'Checking.',
        tool_calls: [{ id: 'call_2', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Zürich","days":2,"note":"line\\nbreak"}' } }],
      },
      { role: 'tool', tool_call_id: 'call_2', content: 'snow' },
    ],
  },
  {
    id: 'qwen-thinking-history',
    only: ['chatml'],
    messages: [
      { role: 'user', content: 'Is 7 prime?' },
      { role: 'assistant', content: '<think>\nDivisors are 1 and 7.\n</think>\n\nYes.' },
      { role: 'user', content: 'Is 9 prime?' },
    ],
  },
  {
    id: 'qwen-no-thinking',
    only: ['chatml'],
    chat_template_kwargs: { enable_thinking: false },
    messages: [{ role: 'user', content: 'Answer without thinking: 2+2?' }],
  },
  {
    id: 'deepseek-tools',
    only: ['deepseek_v3'],
    messages: [
      { role: 'system', content: 'Tools are available.' },
      { role: 'user', content: 'Weather in Zürich and Oslo?' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'c1', type: 'function', function: { name: 'get_weather', arguments: '{"city": "Zürich"}' } },
          { id: 'c2', type: 'function', function: { name: 'get_weather', arguments: '{"city": "Oslo"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'c1', content: '3°C' },
      { role: 'tool', tool_call_id: 'c2', content: '-4°C' },
      { role: 'assistant', content: 'Zürich 3°C, Oslo -4°C.' },
      { role: 'user', content: 'Thanks' },
    ],
  },
  {
    id: 'llama-tool-role',
    only: ['llama3'],
    messages: [
      { role: 'user', content: 'Call it.' },
      { role: 'assistant', content: '{"name": "f", "parameters": {}}' },
      { role: 'tool', content: '  result  ' },
    ],
  },
];
