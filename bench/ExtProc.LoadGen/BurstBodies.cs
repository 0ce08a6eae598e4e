using System.Text;
using AiSidecar.ExtProc.Bench;

namespace AiSidecar.ExtProc.LoadGen;

/// <summary>Bodies of exactly the requested size: English prose (the realistic case) or the adversarial single-word inputs.</summary>
internal static class BurstBodies
{
    private const string Prefix = "{\"model\":\"" + ChatBodies.Model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"";
    private const string Suffix = "\"}]}";

    /// <summary>Body number <paramref name="index"/> of kind <paramref name="kind"/>: each one distinct, so no cache answers it.</summary>
    public static byte[] Create(string kind, int bytes, int index)
    {
        if (kind == "prose")
        {
            // ChatBodies gets close to its target without a guarantee: aim below it, then pad the last message up to it.
            var body = ChatBodies.Chat(bytes - (64 << 10), turns: 1, seed: 42 + index);
            new RequestStamp(body).Write(body, index);
            return PadLastString(body, bytes);
        }

        var content = bytes - Prefix.Length - Suffix.Length;
        var buffer = new byte[bytes];
        Encoding.ASCII.GetBytes(Prefix).CopyTo(buffer, 0);
        var text = buffer.AsSpan(Prefix.Length, content);
        if (kind == "spaces")
        {
            text.Fill((byte)' ');
        }
        else
        {
            var random = new Random(index);
            for (var i = 0; i < text.Length; i++)
            {
                text[i] = (byte)('a' + random.Next(26));
            }
        }

        Encoding.ASCII.GetBytes(Suffix).CopyTo(buffer, bytes - Suffix.Length);
        return buffer;
    }

    /// <summary>Spaces at the end of the body's last string value (the open question) until the body is <paramref name="bytes"/> long.</summary>
    private static byte[] PadLastString(byte[] body, int bytes)
    {
        var end = body.AsSpan().LastIndexOf("\"}]"u8);
        if (end < 0 || body.Length > bytes)
        {
            throw new InvalidOperationException("The generated chat body cannot be padded to size.");
        }

        var padded = new byte[bytes];
        body.AsSpan(0, end).CopyTo(padded);
        padded.AsSpan(end, bytes - body.Length).Fill((byte)' ');
        body.AsSpan(end).CopyTo(padded.AsSpan(end + bytes - body.Length));
        return padded;
    }
}
