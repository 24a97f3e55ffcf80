using System;
using System.IO;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace NaraAuth.Core.Http;

/// <summary>
/// Reads a response body within a size cap and the attempt's time: a declared length above the
/// cap fails before reading, an undeclared one fails as soon as the cap is passed, and every
/// read observes the cancellation token (timeout or Ctrl+C), so a body trickling one byte a
/// second ends at the timeout.
/// </summary>
internal static class BoundedBody
{
    private const int ChunkSize = 16 * 1024;

    public static async Task<string> ReadAsync(HttpResponseMessage response, long maxBytes, ApiRequest request, Uri uri, CancellationToken cancellationToken)
    {
        var content = response.Content;
        if (content == null) return string.Empty;
        if (content.Headers.ContentLength is { } declared && declared > maxBytes)
            throw TransportErrors.TooLarge(request, uri, maxBytes, declared);

        using var stream = await content.ReadAsStreamAsync().ConfigureAwait(false);
        using var buffer = new MemoryStream();
        var chunk = new byte[ChunkSize];
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var read = await stream.ReadAsync(chunk, 0, chunk.Length, cancellationToken).ConfigureAwait(false);
            if (read <= 0) break;
            if (buffer.Length + read > maxBytes)
                throw TransportErrors.TooLarge(request, uri, maxBytes, null);
            buffer.Write(chunk, 0, read);
        }
        return Decode(buffer.GetBuffer(), (int)buffer.Length, content.Headers.ContentType?.CharSet);
    }

    private static string Decode(byte[] bytes, int count, string? charset)
    {
        var encoding = Encoding.UTF8;
        if (!string.IsNullOrEmpty(charset))
        {
            try
            {
                encoding = Encoding.GetEncoding(charset!.Trim('"'));
            }
            catch (ArgumentException)
            {
            }
        }
        // A UTF-8 byte order mark is not part of the text.
        var start = encoding is UTF8Encoding && count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0;
        return encoding.GetString(bytes, start, count - start);
    }
}
