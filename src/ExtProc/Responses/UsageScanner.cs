using System.Buffers;

namespace AiSidecar.ExtProc.Responses;

/// <summary>
/// Reads one JSON value (a response body, or one SSE event's data) fed in pieces of any size, keeping only what usage
/// needs: the raw text of a few small top-level members (<c>usage</c>, <c>model</c>, <c>error</c>, <c>object</c>,
/// <c>type</c>, and <c>usage</c>, <c>model</c>, <c>error</c> inside a Responses API event's <c>response</c>) and whether
/// <c>choices</c> holds anything. Nothing else is kept: memory is bounded whatever the value's size (a member over
/// <see cref="MaxCapture"/> bytes is not kept), and a value that is not JSON is skipped, never an error.
/// </summary>
internal sealed class UsageScanner
{
    /// <summary>The most bytes kept of one member's value.</summary>
    public const int MaxCapture = 8192;

    /// <summary>The most bytes kept of all members of one value (a value repeating a member cannot grow past it).</summary>
    private const int MaxKept = 4 * MaxCapture;

    private const int MaxKey = 16;
    private static readonly SearchValues<byte> Structural = SearchValues.Create("\"{}[],:"u8);
    private static readonly SearchValues<byte> StringEnd = SearchValues.Create("\"\\"u8);

    private readonly byte[] _key = new byte[MaxKey];
    private readonly ArrayBufferWriter<byte> _capture = new(256);
    private int _keyLength;
    private bool _keyOverflow;
    private int _depth;
    private bool _inString;
    private bool _escape;
    private bool _readingKey;
    private bool _expectKey;
    private int _responseDepth;
    private UsageMember _member;
    private int _captureDepth;
    private int _captureStart;
    private bool _captureOverflow;
    private bool _choicesNext;
    private bool _choicesPending;
    private bool _responseNext;
    private int _usageStart = -1;
    private int _usageLength;
    private int _modelStart = -1;
    private int _modelLength;
    private int _errorStart = -1;
    private int _errorLength;
    private int _objectStart = -1;
    private int _objectLength;
    private int _typeStart = -1;
    private int _typeLength;

    private enum UsageMember
    {
        None,
        Usage,
        Model,
        Error,
        Object,
        Type,
    }

    /// <summary>True once the value's top-level <c>choices</c> array was seen holding an element.</summary>
    public bool HasChoices { get; private set; }

    /// <summary>True once a top-level <c>choices</c> array was seen (empty or not).</summary>
    public bool SawChoices { get; private set; }

    /// <summary>The raw JSON of <c>usage</c> (top-level, or in <c>response</c>); empty when absent or too large.</summary>
    public ReadOnlySpan<byte> Usage => Slice(_usageStart, _usageLength);

    /// <summary>The raw JSON of <c>model</c>.</summary>
    public ReadOnlySpan<byte> Model => Slice(_modelStart, _modelLength);

    /// <summary>The raw JSON of <c>error</c>.</summary>
    public ReadOnlySpan<byte> Error => Slice(_errorStart, _errorLength);

    /// <summary>The raw JSON of the top-level <c>object</c>.</summary>
    public ReadOnlySpan<byte> Object => Slice(_objectStart, _objectLength);

    /// <summary>The raw JSON of the top-level <c>type</c> (Responses API events).</summary>
    public ReadOnlySpan<byte> Type => Slice(_typeStart, _typeLength);

    /// <summary>Forgets the value read so far, to read the next one.</summary>
    public void Reset()
    {
        _keyLength = 0;
        _keyOverflow = false;
        _depth = 0;
        _inString = _escape = _readingKey = _expectKey = false;
        _responseDepth = 0;
        _member = UsageMember.None;
        _captureOverflow = false;
        _choicesNext = _choicesPending = _responseNext = false;
        HasChoices = SawChoices = false;
        _capture.ResetWrittenCount();
        _usageStart = _modelStart = _errorStart = _objectStart = _typeStart = -1;
        _usageLength = _modelLength = _errorLength = _objectLength = _typeLength = 0;
    }

    /// <summary>Reads the next piece of the value.</summary>
    public void Feed(ReadOnlySpan<byte> data)
    {
        var captureFrom = _member == UsageMember.None ? -1 : 0;
        var i = 0;
        while (i < data.Length)
        {
            if (_inString)
            {
                if (_escape)
                {
                    _escape = false;
                    if (_readingKey)
                    {
                        AppendKey(data.Slice(i, 1));
                    }

                    i++;
                    continue;
                }

                var end = data[i..].IndexOfAny(StringEnd);
                if (end < 0)
                {
                    if (_readingKey)
                    {
                        AppendKey(data[i..]);
                    }

                    i = data.Length;
                    break;
                }

                if (_readingKey)
                {
                    AppendKey(data.Slice(i, end));
                }

                i += end;
                if (data[i] == '\\')
                {
                    _escape = true;
                }
                else
                {
                    _inString = false;
                    _readingKey = false;
                }

                i++;
                continue;
            }

            if (_choicesPending)
            {
                var first = data[i];
                if (first is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
                {
                    i++;
                    continue;
                }

                _choicesPending = false;
                HasChoices |= first != ']';
            }

            var next = data[i..].IndexOfAny(Structural);
            if (next < 0)
            {
                break;
            }

            i += next;
            var c = data[i];
            var choicesNext = _choicesNext;
            var responseNext = _responseNext;
            _choicesNext = _responseNext = false;
            switch (c)
            {
                case (byte)'"':
                    _inString = true;
                    if (_expectKey)
                    {
                        _readingKey = true;
                        _expectKey = false;
                        _keyLength = 0;
                        _keyOverflow = false;
                    }

                    break;
                case (byte)'{' or (byte)'[':
                    if (choicesNext && c == '[')
                    {
                        SawChoices = true;
                        _choicesPending = true;
                    }
                    else if (responseNext && c == '{')
                    {
                        _responseDepth = 2;
                    }

                    _depth++;
                    _expectKey = c == '{' && IsMemberDepth(_depth);
                    break;
                case (byte)'}' or (byte)']':
                    if (_depth == _captureDepth && _member != UsageMember.None)
                    {
                        EndCapture(data, ref captureFrom, i);
                    }

                    if (_depth == _responseDepth)
                    {
                        _responseDepth = 0;
                    }

                    _depth--;
                    _expectKey = false;
                    break;
                case (byte)',':
                    if (_depth == _captureDepth && _member != UsageMember.None)
                    {
                        EndCapture(data, ref captureFrom, i);
                    }

                    _expectKey = IsMemberDepth(_depth);
                    break;
                default:
                    // ':' after a member name, at a depth whose members are read.
                    if (IsMemberDepth(_depth) && _member == UsageMember.None && !_keyOverflow)
                    {
                        StartMember(_depth);
                        if (_member != UsageMember.None)
                        {
                            captureFrom = i + 1;
                        }
                    }

                    break;
            }

            i++;
        }

        if (captureFrom >= 0 && _member != UsageMember.None)
        {
            AppendCapture(data[captureFrom..]);
        }
    }

    private ReadOnlySpan<byte> Slice(int start, int length) => start < 0 ? default : _capture.WrittenSpan.Slice(start, length);

    private bool IsMemberDepth(int depth) => depth == 1 || (depth == 2 && _responseDepth == 2);

    private void StartMember(int depth)
    {
        var key = _key.AsSpan(0, _keyLength);
        _member = key.SequenceEqual("usage"u8) ? UsageMember.Usage
            : key.SequenceEqual("model"u8) ? UsageMember.Model
            : key.SequenceEqual("error"u8) ? UsageMember.Error
            : depth == 1 && key.SequenceEqual("object"u8) ? UsageMember.Object
            : depth == 1 && key.SequenceEqual("type"u8) ? UsageMember.Type
            : UsageMember.None;
        if (_member != UsageMember.None)
        {
            _captureDepth = depth;
            _captureStart = _capture.WrittenCount;
            _captureOverflow = false;
        }
        else if (depth == 1)
        {
            _choicesNext = key.SequenceEqual("choices"u8);
            _responseNext = key.SequenceEqual("response"u8);
        }
    }

    private void EndCapture(ReadOnlySpan<byte> data, ref int captureFrom, int end)
    {
        var member = _member;
        _member = UsageMember.None;
        AppendCapture(data[Math.Max(captureFrom, 0)..end]);
        captureFrom = -1;
        if (_captureOverflow)
        {
            return;
        }

        var start = _captureStart;
        var length = _capture.WrittenCount - start;
        switch (member)
        {
            case UsageMember.Usage:
                (_usageStart, _usageLength) = (start, length);
                break;
            case UsageMember.Model:
                (_modelStart, _modelLength) = (start, length);
                break;
            case UsageMember.Error:
                (_errorStart, _errorLength) = (start, length);
                break;
            case UsageMember.Object:
                (_objectStart, _objectLength) = (start, length);
                break;
            default:
                (_typeStart, _typeLength) = (start, length);
                break;
        }
    }

    private void AppendCapture(ReadOnlySpan<byte> bytes)
    {
        if (_captureOverflow)
        {
            return;
        }

        if (_capture.WrittenCount - _captureStart + bytes.Length > MaxCapture || _capture.WrittenCount + bytes.Length > MaxKept)
        {
            // Too large to be usage: not kept (what was kept of it stays until the next value, bounded by this check).
            _captureOverflow = true;
            return;
        }

        _capture.Write(bytes);
    }

    private void AppendKey(ReadOnlySpan<byte> bytes)
    {
        if (_keyLength + bytes.Length > MaxKey)
        {
            _keyOverflow = true;
            return;
        }

        bytes.CopyTo(_key.AsSpan(_keyLength));
        _keyLength += bytes.Length;
    }
}
