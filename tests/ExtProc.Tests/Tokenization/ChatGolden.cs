namespace AiSidecar.ExtProc.Tests.Tokenization;

internal sealed record ChatGolden(string Family, string Tokenizer, string Reference, List<ChatCase> Cases);
