using System.Buffers;

namespace AiSidecar.ExtProc.Responses;

/// <summary>
/// Reads a server-sent-events stream chunk by chunk: each <c>data:</c> line's JSON goes through a
/// <see cref="UsageScanner"/> as it passes, so nothing of the stream is kept but a few bytes of line state (a line
/// with no newline, however long, costs no memory). When asked to, it also removes the usage-only event (<c>choices:
/// []</c> with <c>usage</c>) from what the client sees, holding back at most <c>maxHeld</c> bytes of the event being
/// read until it is known.
/// </summary>
internal sealed class SseUsageReader(int maxHeld)
{
    private static readonly byte[] DataPrefix = "data:"u8.ToArray();

    private readonly UsageScanner _scanner = new();
    private ArrayBufferWriter<byte>? _held;
    private int _prefixMatched;
    private LineKind _line;
    private int _lineBytes;
    private bool _eventPassing;
    private bool _eventDropped;

    private enum LineKind
    {
        Prefix,
        Data,
        Other,
    }

    /// <summary>Called with the scanner after each complete <c>data:</c> value.</summary>
    public delegate void EventRead(UsageScanner scanner);

    /// <summary>
    /// Reads one chunk; <paramref name="onEvent"/> sees every data value completed in it. With <paramref name="output"/>,
    /// the chunk's bytes that the client should see are written there (the usage-only event left out; the bytes of an
    /// event not yet known are held back for a later chunk); at <paramref name="end"/> whatever is held is written.
    /// </summary>
    public void Read(ReadOnlySpan<byte> chunk, bool end, EventRead onEvent, IBufferWriter<byte>? output)
    {
        while (chunk.Length > 0)
        {
            var newline = chunk.IndexOf((byte)'\n');
            var line = newline < 0 ? chunk : chunk[..newline];
            ReadLinePart(line);
            Route(newline < 0 ? chunk : chunk[..(newline + 1)], output);
            if (newline < 0)
            {
                break;
            }

            EndLine(onEvent, output);
            chunk = chunk[(newline + 1)..];
        }

        if (end)
        {
            if (_line == LineKind.Data)
            {
                EndLine(onEvent, output);
            }

            if (output is not null && !_eventDropped && _held is { WrittenCount: > 0 })
            {
                output.Write(_held.WrittenSpan);
            }

            _held?.ResetWrittenCount();
        }
    }

    private void ReadLinePart(ReadOnlySpan<byte> part)
    {
        if (part.Length > 0 && part[^1] == '\r')
        {
            _lineBytes += part.Length - 1;
        }
        else
        {
            _lineBytes += part.Length;
        }

        while (part.Length > 0 && _line == LineKind.Prefix)
        {
            if (part[0] != DataPrefix[_prefixMatched])
            {
                _line = LineKind.Other;
                return;
            }

            part = part[1..];
            if (++_prefixMatched == DataPrefix.Length)
            {
                _line = LineKind.Data;
            }
        }

        if (_line == LineKind.Data && part.Length > 0)
        {
            _scanner.Feed(part);
        }
    }

    private void EndLine(EventRead onEvent, IBufferWriter<byte>? output)
    {
        var blank = _lineBytes == 0;
        if (_line == LineKind.Data)
        {
            onEvent(_scanner);
            if (output is not null && !_eventPassing && _scanner.SawChoices && !_scanner.HasChoices
                && _scanner.Usage is { Length: > 0 } usage && TokenUsage.TryParse(usage, out _))
            {
                _eventDropped = true;
                _held?.ResetWrittenCount();
            }

            _scanner.Reset();
        }

        _line = LineKind.Prefix;
        _prefixMatched = 0;
        _lineBytes = 0;
        if (blank)
        {
            // The event ends: what was held of it goes on, unless it is the one removed.
            if (output is not null && !_eventDropped && _held is { WrittenCount: > 0 })
            {
                output.Write(_held.WrittenSpan);
            }

            _held?.ResetWrittenCount();
            _eventPassing = _eventDropped = false;
        }
    }

    /// <summary>Sends <paramref name="bytes"/> of the current event on, holds them, or drops them.</summary>
    private void Route(ReadOnlySpan<byte> bytes, IBufferWriter<byte>? output)
    {
        if (output is null || _eventDropped)
        {
            return;
        }

        if (_eventPassing)
        {
            output.Write(bytes);
            return;
        }

        _held ??= new ArrayBufferWriter<byte>(512);
        if (_held.WrittenCount + bytes.Length > maxHeld)
        {
            // Too large to be the usage chunk: it passes, held bytes first.
            output.Write(_held.WrittenSpan);
            output.Write(bytes);
            _held.ResetWrittenCount();
            _eventPassing = true;
            return;
        }

        _held.Write(bytes);
    }
}
