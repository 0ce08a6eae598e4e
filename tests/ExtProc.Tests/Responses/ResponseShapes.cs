namespace AiSidecar.ExtProc.Tests.Responses;

/// <summary>
/// Response bodies in the shapes vLLM, SGLang and OpenAI send (written from their documented and source-visible
/// shapes, values made up): JSON bodies, SSE streams with and without the usage chunk, errors in both of vLLM's
/// shapes and mid-stream.
/// </summary>
public static class ResponseShapes
{
    /// <summary>One recorded response: its content type, body, and the usage it holds (null when none), whether it is an error.</summary>
    public sealed record Shape(string Name, bool Sse, string Body, long? Input, long? Output, long? Cached = null, long? Reasoning = null, bool Error = false, string Model = "")
    {
        public override string ToString() => Name;
    }

    public static readonly Shape[] All =
    [
        new("vllm chat json", false, """
            {"id":"chatcmpl-9f2","object":"chat.completion","created":1732000000,"model":"Qwen/Qwen3-8B","choices":[{"index":0,"message":{"role":"assistant","content":"Paris.","reasoning_content":"The capital {of} France, \"quoted\"","tool_calls":[]},"logprobs":null,"finish_reason":"stop","stop_reason":null}],"usage":{"prompt_tokens":17,"total_tokens":40,"completion_tokens":23,"prompt_tokens_details":{"cached_tokens":16}},"prompt_logprobs":null,"kv_transfer_params":null}
            """, 17, 23, Cached: 16, Model: "Qwen/Qwen3-8B"),
        new("vllm chat json usage first", false, """
            { "usage" : { "completion_tokens" : 5 , "prompt_tokens" : 9 , "total_tokens" : 14 } , "model" : "m" , "choices" : [ ] }
            """, 9, 5, Model: "m"),
        new("vllm completions json", false, """
            {"id":"cmpl-1","object":"text_completion","created":1732000000,"model":"qwen3","choices":[{"index":0,"text":" world","logprobs":null,"finish_reason":"length","stop_reason":null,"prompt_logprobs":null}],"usage":{"prompt_tokens":3,"total_tokens":19,"completion_tokens":16,"prompt_tokens_details":null}}
            """, 3, 16, Model: "qwen3"),
        new("vllm embeddings json", false, """
            {"id":"embd-1","object":"list","created":1732000000,"model":"BAAI/bge-m3","data":[{"index":0,"object":"embedding","embedding":[0.0123,-0.0456,0.0789,1e-05]},{"index":1,"object":"embedding","embedding":[0.5,0.25]}],"usage":{"prompt_tokens":12,"total_tokens":12,"completion_tokens":0,"prompt_tokens_details":null}}
            """, 12, 0, Model: "BAAI/bge-m3"),
        new("vllm rerank json", false, """
            {"id":"rerank-1","model":"BAAI/bge-reranker-v2-m3","usage":{"total_tokens":57},"results":[{"index":1,"document":{"text":"b"},"relevance_score":0.98},{"index":0,"document":{"text":"a"},"relevance_score":0.01}]}
            """, 57, null, Model: "BAAI/bge-reranker-v2-m3"),
        new("openai chat json with reasoning", false, """
            {"id":"chatcmpl-abc","object":"chat.completion","created":1732000000,"model":"o4-mini-2025-04-16","choices":[{"index":0,"message":{"role":"assistant","content":"4","refusal":null,"annotations":[]},"finish_reason":"stop"}],"usage":{"prompt_tokens":12,"completion_tokens":74,"total_tokens":86,"prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":64,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}},"service_tier":"default","system_fingerprint":null}
            """, 12, 74, Cached: 0, Reasoning: 64, Model: "o4-mini-2025-04-16"),
        new("openai responses json", false, """
            {"id":"resp_1","object":"response","created_at":1732000000,"status":"completed","error":null,"model":"gpt-4.1-2025-04-14","output":[{"type":"message","id":"msg_1","status":"completed","role":"assistant","content":[{"type":"output_text","text":"Hi","annotations":[]}]}],"usage":{"input_tokens":36,"input_tokens_details":{"cached_tokens":0},"output_tokens":87,"output_tokens_details":{"reasoning_tokens":0},"total_tokens":123}}
            """, 36, 87, Cached: 0, Reasoning: 0, Model: "gpt-4.1-2025-04-14"),
        new("vllm error nested", false, """
            {"error":{"message":"This model's maximum context length is 8192 tokens.","type":"BadRequestError","param":null,"code":400}}
            """, null, null, Error: true),
        new("vllm error flat", false, """
            {"object":"error","message":"The model `x` does not exist.","type":"NotFoundError","param":null,"code":404}
            """, null, null, Error: true),
        new("vllm chat stream with usage", true,
            "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"qwen3\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"logprobs\":null,\"finish_reason\":null}]}\n\n" +
            "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"qwen3\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"data: \\\"x\\\"\\n\\n{\"},\"logprobs\":null,\"finish_reason\":null}]}\n\n" +
            "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"qwen3\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"!\"},\"logprobs\":null,\"finish_reason\":\"stop\",\"stop_reason\":null}]}\n\n" +
            "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"qwen3\",\"choices\":[],\"usage\":{\"prompt_tokens\":10,\"total_tokens\":13,\"completion_tokens\":3,\"prompt_tokens_details\":{\"cached_tokens\":8}}}\n\n" +
            "data: [DONE]\n\n", 10, 3, Cached: 8, Model: "qwen3"),
        new("vllm completions stream with continuous usage", true,
            "data: {\"id\":\"cmpl-2\",\"object\":\"text_completion\",\"created\":1,\"model\":\"qwen3\",\"choices\":[{\"index\":0,\"text\":\" a\",\"logprobs\":null,\"finish_reason\":null}],\"usage\":{\"prompt_tokens\":4,\"total_tokens\":5,\"completion_tokens\":1}}\n\n" +
            "data: {\"id\":\"cmpl-2\",\"object\":\"text_completion\",\"created\":1,\"model\":\"qwen3\",\"choices\":[{\"index\":0,\"text\":\" b\",\"logprobs\":null,\"finish_reason\":\"length\"}],\"usage\":{\"prompt_tokens\":4,\"total_tokens\":6,\"completion_tokens\":2}}\n\n" +
            "data: {\"id\":\"cmpl-2\",\"object\":\"text_completion\",\"created\":1,\"model\":\"qwen3\",\"choices\":[],\"usage\":{\"prompt_tokens\":4,\"total_tokens\":6,\"completion_tokens\":2}}\n\n" +
            "data: [DONE]\n\n", 4, 2, Model: "qwen3"),
        new("sglang chat stream with usage", true,
            "data: {\"id\":\"a1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"meta-llama/Llama-3.1-8B-Instruct\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Hel\",\"reasoning_content\":null,\"tool_calls\":null},\"logprobs\":null,\"finish_reason\":null,\"matched_stop\":null}],\"usage\":null}\r\n\r\n" +
            "data: {\"id\":\"a1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"meta-llama/Llama-3.1-8B-Instruct\",\"choices\":[{\"index\":0,\"delta\":{\"role\":null,\"content\":\"lo\"},\"logprobs\":null,\"finish_reason\":\"stop\",\"matched_stop\":128009}],\"usage\":null}\r\n\r\n" +
            "data: {\"id\":\"a1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"meta-llama/Llama-3.1-8B-Instruct\",\"choices\":[],\"usage\":{\"prompt_tokens\":42,\"total_tokens\":44,\"completion_tokens\":2,\"prompt_tokens_details\":null,\"reasoning_tokens\":0}}\r\n\r\n" +
            "data: [DONE]\r\n\r\n", 42, 2, Model: "meta-llama/Llama-3.1-8B-Instruct"),
        new("openai chat stream with usage", true,
            "data: {\"id\":\"chatcmpl-x\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o-mini-2024-07-18\",\"service_tier\":\"default\",\"system_fingerprint\":\"fp_1\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null,\"obfuscation\":\"ab\"}\n\n" +
            "data: {\"id\":\"chatcmpl-x\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n" +
            "data: {\"id\":\"chatcmpl-x\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":null}\n\n" +
            "data: {\"id\":\"chatcmpl-x\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[],\"usage\":{\"prompt_tokens\":8,\"completion_tokens\":2,\"total_tokens\":10,\"prompt_tokens_details\":{\"cached_tokens\":0,\"audio_tokens\":0},\"completion_tokens_details\":{\"reasoning_tokens\":0,\"audio_tokens\":0,\"accepted_prediction_tokens\":0,\"rejected_prediction_tokens\":0}}}\n\n" +
            "data: [DONE]\n\n", 8, 2, Cached: 0, Reasoning: 0, Model: "gpt-4o-mini-2024-07-18"),
        new("openai responses stream", true,
            "event: response.created\ndata: {\"type\":\"response.created\",\"sequence_number\":0,\"response\":{\"id\":\"resp_1\",\"object\":\"response\",\"status\":\"in_progress\",\"error\":null,\"model\":\"gpt-4.1-2025-04-14\",\"output\":[],\"usage\":null}}\n\n" +
            "event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"sequence_number\":4,\"item_id\":\"msg_1\",\"output_index\":0,\"content_index\":0,\"delta\":\"Hi\"}\n\n" +
            "event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"sequence_number\":5,\"item_id\":\"msg_1\",\"output_index\":0,\"content_index\":0,\"delta\":\" there\"}\n\n" +
            "event: response.completed\ndata: {\"type\":\"response.completed\",\"sequence_number\":9,\"response\":{\"id\":\"resp_1\",\"object\":\"response\",\"status\":\"completed\",\"error\":null,\"model\":\"gpt-4.1-2025-04-14\",\"output\":[{\"type\":\"message\",\"content\":[{\"type\":\"output_text\",\"text\":\"Hi there\"}]}],\"usage\":{\"input_tokens\":37,\"input_tokens_details\":{\"cached_tokens\":5},\"output_tokens\":11,\"output_tokens_details\":{\"reasoning_tokens\":2},\"total_tokens\":48}}}\n\n",
            37, 11, Cached: 5, Reasoning: 2, Model: "gpt-4.1-2025-04-14"),
        new("vllm chat stream without usage", true,
            "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"qwen3\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"},\"finish_reason\":null}]}\n\n" +
            "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"qwen3\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"b\"},\"finish_reason\":\"stop\"}]}\n\n" +
            "data: [DONE]\n\n", null, null, Model: "qwen3"),
        new("vllm chat stream error mid-stream", true,
            "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"qwen3\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"},\"finish_reason\":null}]}\n\n" +
            "data: {\"error\": {\"object\": \"error\", \"message\": \"engine dead\", \"type\": \"InternalServerError\", \"param\": null, \"code\": 500}}\n\n" +
            "data: [DONE]\n\n", null, null, Error: true, Model: "qwen3"),
        new("sglang chat stream error mid-stream", true,
            "data: {\"id\":\"a\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"},\"finish_reason\":null}],\"usage\":null}\n\n" +
            "data: {\"error\": {\"message\": \"aborted\", \"type\": \"BadRequestError\", \"code\": 400}}\n\n" +
            "data: [DONE]\n\n", null, null, Error: true, Model: "m"),
        new("openai responses stream failed", true,
            "event: response.created\ndata: {\"type\":\"response.created\",\"sequence_number\":0,\"response\":{\"id\":\"r\",\"status\":\"in_progress\",\"error\":null,\"model\":\"gpt-4.1\",\"usage\":null}}\n\n" +
            "event: response.failed\ndata: {\"type\":\"response.failed\",\"sequence_number\":1,\"response\":{\"id\":\"r\",\"status\":\"failed\",\"error\":{\"code\":\"server_error\",\"message\":\"boom\"},\"model\":\"gpt-4.1\",\"usage\":null}}\n\n",
            null, null, Error: true, Model: "gpt-4.1"),
    ];
}
