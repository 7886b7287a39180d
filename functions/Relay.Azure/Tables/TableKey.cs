using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace Relay.Azure.Tables;

/// <summary>
/// PartitionKey and RowKey values from arbitrary strings. Table Storage refuses <c>/ \ # ?</c> and the
/// control characters U+0000–U+001F and U+007F–U+009F in keys, and caps a key at 1 KiB. Those
/// characters, the escape character <c>%</c> itself and <c>~</c> become <c>%XX</c>; a lone surrogate
/// (which no valid Matrix ID holds, but a string can) becomes <c>%uXXXX</c>. <see cref="Unescape"/>
/// reverses it exactly. A key whose escaped form would exceed <see cref="MaxLength"/> is replaced by
/// <c>~</c> and its SHA-256: <c>~</c> never starts an escaped key, so the two forms cannot collide, and
/// every row keeps the original in a property where the key itself cannot be reversed.
/// </summary>
public static class TableKey
{
    /// <summary>512 UTF-16 characters: 1 KiB however the service counts.</summary>
    public const int MaxLength = 512;

    public static string Escape(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var builder = new StringBuilder(value.Length + 8);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                builder.Append(c).Append(value[++i]);
            }
            else if (char.IsSurrogate(c))
            {
                builder.Append("%u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
            }
            else if (MustEscape(c))
            {
                builder.Append('%').Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }
        }
        return builder.ToString();
    }

    /// <summary>The escaped key, or its hashed form when the escaped one is too long for Table Storage.</summary>
    public static string For(string value)
    {
        var escaped = Escape(value);
        return escaped.Length <= MaxLength ? escaped : Hashed(value);
    }

    public static bool IsHashed(string key) => key.StartsWith('~');

    public static string Unescape(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (IsHashed(key))
        {
            throw new ArgumentException("A hashed key cannot be reversed; read the original from the row.", nameof(key));
        }
        var builder = new StringBuilder(key.Length);
        for (var i = 0; i < key.Length; i++)
        {
            if (key[i] != '%')
            {
                builder.Append(key[i]);
                continue;
            }
            var unicode = i + 1 < key.Length && key[i + 1] == 'u';
            var digits = unicode ? 4 : 2;
            var start = i + (unicode ? 2 : 1);
            if (start + digits > key.Length
                || !int.TryParse(key.AsSpan(start, digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
            {
                throw new FormatException($"Malformed escape at position {i} of a table key.");
            }
            builder.Append((char)code);
            i = start + digits - 1;
        }
        return builder.ToString();
    }

    private static bool MustEscape(char c) =>
        c is '/' or '\\' or '#' or '?' or '%' or '~' || c <= '\u001F' || c is >= '\u007F' and <= '\u009F';

    private static string Hashed(string value) =>
        // UTF-16 code units, not UTF-8: two strings differing only in lone surrogates must not collide.
        "~" + Convert.ToHexStringLower(SHA256.HashData(MemoryMarshal.AsBytes(value.AsSpan())));
}
