namespace AiSidecar.ExtProc.Tests.Tokenization;

internal sealed record PlainGolden(string Tokenizer, string Reference, List<PlainCase> Cases);
