using System.Collections;
using System.Text;
using Envoy.Config.Core.V3;

namespace AiSidecar.ExtProc.Tests.EnvoyFilter;

/// <summary>An ordered HTTP header multimap with lower-case names, as Envoy's header map holds them.</summary>
public sealed class HttpHeaderList : IEnumerable<KeyValuePair<string, string>>
{
    private readonly List<KeyValuePair<string, string>> _entries = [];

    public HttpHeaderList()
    {
    }

    public HttpHeaderList(IEnumerable<KeyValuePair<string, string>> entries)
    {
        foreach (var (name, value) in entries)
        {
            Add(name, value);
        }
    }

    public int Count => _entries.Count;

    public string? this[string name] => Get(name);

    /// <summary>Adds an entry, keeping any existing ones (Envoy <c>addCopy</c>).</summary>
    public HttpHeaderList Add(string name, string value)
    {
        _entries.Add(new(name.ToLowerInvariant(), value));
        return this;
    }

    /// <summary>Replaces every entry of the name with one value (Envoy <c>setCopy</c>).</summary>
    public HttpHeaderList Set(string name, string value)
    {
        var key = name.ToLowerInvariant();
        var index = _entries.FindIndex(e => e.Key == key);
        if (index < 0)
        {
            _entries.Add(new(key, value));
            return this;
        }

        for (var i = _entries.Count - 1; i > index; i--)
        {
            if (_entries[i].Key == key)
            {
                _entries.RemoveAt(i);
            }
        }

        _entries[index] = new(key, value);
        return this;
    }

    public bool Remove(string name)
    {
        var key = name.ToLowerInvariant();
        return _entries.RemoveAll(e => e.Key == key) > 0;
    }

    public string? Get(string name)
    {
        var key = name.ToLowerInvariant();
        foreach (var entry in _entries)
        {
            if (entry.Key == key)
            {
                return entry.Value;
            }
        }

        return null;
    }

    public IReadOnlyList<string> GetAll(string name)
    {
        var key = name.ToLowerInvariant();
        return _entries.Where(e => e.Key == key).Select(e => e.Value).ToList();
    }

    public bool Contains(string name) => Get(name) is not null;

    public HttpHeaderList Clone() => new(_entries);

    /// <summary>Builds the proto Envoy sends: lower-case keys, values in <c>raw_value</c> only, one entry per value.</summary>
    /// <param name="forward">Envoy's forward_rules: which names are sent (all when null).</param>
    public HeaderMap ToHeaderMap(Func<string, bool>? forward = null)
    {
        var map = new HeaderMap();
        foreach (var (name, value) in _entries.Where(e => forward?.Invoke(e.Key) ?? true))
        {
            map.Headers.Add(new HeaderValue { Key = name, RawValue = Google.Protobuf.ByteString.CopyFromUtf8(value) });
        }

        return map;
    }

    /// <summary>Reads a proto header map the way a server would: <c>raw_value</c>, else <c>value</c>.</summary>
    public static HttpHeaderList FromHeaderMap(HeaderMap? map)
    {
        var list = new HttpHeaderList();
        foreach (var header in map?.Headers ?? [])
        {
            list.Add(header.Key, header.RawValue.IsEmpty ? header.Value : Encoding.UTF8.GetString(header.RawValue.Span));
        }

        return list;
    }

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => _entries.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => string.Join("; ", _entries.Select(e => $"{e.Key}: {e.Value}"));
}
