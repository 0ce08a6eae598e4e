using System.Buffers;
using Envoy.Service.ExtProc.V3;
using Google.Protobuf;
using Grpc.Core;

namespace AiSidecar.ExtProc.Benchmarks;

/// <summary>A response stream that serializes each reply as gRPC would, into a reused buffer, and keeps the last reply.</summary>
internal sealed class RecordingWriter : IServerStreamWriter<ProcessingResponse>
{
    private readonly ArrayBufferWriter<byte> _buffer = new(4096);

    public WriteOptions? WriteOptions { get; set; }

    public int Replies { get; private set; }

    public ProcessingResponse? Last { get; private set; }

    public void Reset()
    {
        Replies = 0;
        Last = null;
    }

    public Task WriteAsync(ProcessingResponse message)
    {
        _buffer.ResetWrittenCount();
        message.WriteTo(_buffer);
        Replies++;
        Last = message;
        return Task.CompletedTask;
    }
}
