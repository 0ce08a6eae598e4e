using System.Buffers;

namespace AiSidecar.ExtProc.Caching;

/// <summary>
/// Splits a server-sent-events stream, read in pieces, into the data of its events (the <c>data:</c> lines of one
/// event joined by newlines; other fields are ignored). A line or an event longer than <c>maxBytes</c> stops it, so
/// what it holds stays bounded.
/// </summary>
internal sealed class SseEvents(int maxBytes)
{
    private readonly ArrayBufferWriter<byte> _line = new();
    private readonly ArrayBufferWriter<byte> _data = new();
    private bool _inEvent;
    private bool _stopped;

    /// <summary>True when a line or an event was longer than the limit.</summary>
    public bool TooLarge { get; private set; }

    /// <summary>
    /// Reads one piece (the last when <paramref name="end"/>); <paramref name="onEvent"/> gets each event completed in
    /// it and returns false to stop. False once stopped.
    /// </summary>
    public bool Read(ReadOnlySpan<byte> piece, bool end, Func<ReadOnlyMemory<byte>, bool> onEvent)
    {
        while (!_stopped && piece.Length > 0)
        {
            var newline = piece.IndexOf((byte)'\n');
            if (newline < 0)
            {
                _line.Write(piece);
                Bound(_line.WrittenCount);
                break;
            }

            if (_line.WrittenCount > 0)
            {
                _line.Write(piece[..newline]);
                OnLine(_line.WrittenSpan, onEvent);
                _line.ResetWrittenCount();
            }
            else
            {
                OnLine(piece[..newline], onEvent);
            }

            piece = piece[(newline + 1)..];
        }

        if (end && !_stopped)
        {
            OnLine(_line.WrittenSpan, onEvent);
            OnLine([], onEvent);
        }

        return !_stopped;
    }

    private void OnLine(ReadOnlySpan<byte> line, Func<ReadOnlyMemory<byte>, bool> onEvent)
    {
        if (_stopped)
        {
            return;
        }

        if (line.EndsWith("\r"u8))
        {
            line = line[..^1];
        }

        if (line.IsEmpty)
        {
            if (_inEvent)
            {
                _inEvent = false;
                _stopped = !onEvent(_data.WrittenMemory);
                _data.ResetWrittenCount();
            }
        }
        else if (line.StartsWith("data:"u8))
        {
            var value = line[5..];
            if (value.StartsWith(" "u8))
            {
                value = value[1..];
            }

            if (_inEvent)
            {
                _data.Write("\n"u8);
            }

            _data.Write(value);
            _inEvent = true;
            Bound(_data.WrittenCount);
        }
    }

    private void Bound(int bytes)
    {
        if (bytes > maxBytes)
        {
            TooLarge = _stopped = true;
        }
    }
}
