package ar.loteria.protocol.runtime;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Encoding of the IDL's primitive types, one read / write / sizeOf triple per type (in the
 * manner of Cassandra's CBUtil). Big-endian. Every read is bounded by the buffer's limit, which
 * the caller sets to the end of the frame body, and every length or count is checked against
 * the bytes that remain <em>before</em> anything is allocated.
 *
 * <p>Buffers passed to the write methods must be big-endian (the {@link ByteBuffer} default)
 * and have room for {@code sizeOf} bytes; codecs size them first.
 */
public final class Wire {
    public static final int INT_SIZE = 4;
    /** Smallest encoding of a string: its length. */
    public static final int MIN_STRING_SIZE = 4;
    /** Smallest encoding of one key/value pair of a string map. */
    private static final int MIN_MAP_ENTRY_SIZE = 2 * MIN_STRING_SIZE;

    private Wire() {
    }

    // ---- int -----------------------------------------------------------------------------

    public static int readInt(ByteBuffer in, String message, String field) throws MalformedFieldException {
        if (in.remaining() < INT_SIZE) {
            throw new MalformedFieldException(message, field, "needs " + INT_SIZE + " bytes at offset "
                    + in.position() + " but only " + in.remaining() + " remain");
        }
        return in.getInt();
    }

    /**
     * An enum field: an int that must be one of the enum's values ({@code fromWire} gives null for
     * any other); {@code enumName} names the enum in the error. Written with {@link #writeInt}.
     */
    public static <E> E readEnum(ByteBuffer in, String message, String field, IntFunction<E> fromWire, String enumName)
            throws MalformedFieldException {
        int value = readInt(in, message, field);
        E constant = fromWire.apply(value);
        if (constant == null) {
            throw new MalformedFieldException(message, field, value + " is not a value of " + enumName
                    + " that this build knows");
        }
        return constant;
    }

    public static void writeInt(ByteBuffer out, int value) {
        out.putInt(value);
    }

    // ---- count (prefix of strings, lists and maps) ---------------------------------------

    /**
     * Reads a length or element count and checks it against the remaining bytes, given the
     * smallest encoded size of one element, so that a hostile count never drives an allocation.
     */
    public static int readCount(ByteBuffer in, String message, String field, int minElementSize)
            throws MalformedFieldException {
        int offset = in.position();
        int count = readInt(in, message, field);
        if (count < 0) {
            throw new MalformedFieldException(message, field, "negative length " + count + " at offset " + offset);
        }
        long needed = (long) count * minElementSize;
        if (needed > in.remaining()) {
            throw new MalformedFieldException(message, field, "length " + count + " at offset " + offset
                    + " needs at least " + needed + " bytes but only " + in.remaining() + " remain");
        }
        return count;
    }

    // ---- string --------------------------------------------------------------------------

    public static String readString(ByteBuffer in, String message, String field) throws MalformedFieldException {
        int offset = in.position();
        int length = readCount(in, message, field, 1);
        if (length == 0) {
            return "";
        }
        if (in.hasArray()) {
            byte[] array = in.array();
            int start = in.arrayOffset() + in.position();
            in.position(in.position() + length);
            return decodeUtf8(array, start, length, message, field, offset);
        }
        byte[] bytes = new byte[length];
        in.get(bytes);
        return decodeUtf8(bytes, 0, length, message, field, offset);
    }

    public static void writeString(ByteBuffer out, String value) {
        // A lone surrogate becomes '?', as utf8Length counts it.
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        out.putInt(utf8.length);
        out.put(utf8);
    }

    public static int sizeOfString(String value) {
        return INT_SIZE + utf8Length(value);
    }

    /**
     * Bytes of {@code value} in UTF-8, counted the way {@link String#getBytes} encodes it (a lone
     * surrogate becomes one '?' byte), so that sizeOf and write never disagree.
     */
    static int utf8Length(String value) {
        int length = value.length();
        int bytes = length;
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            if (c < 0x80) {
                continue;
            }
            if (c < 0x800) {
                bytes += 1;
            } else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(value.charAt(i + 1))) {
                bytes += 2; // 4 bytes for the pair, already counted 2 chars
                i++;
            } else if (Character.isSurrogate(c)) {
                // unpaired surrogate: encoded as '?'
            } else {
                bytes += 2;
            }
        }
        return bytes;
    }

    private static final char REPLACEMENT = '\uFFFD';

    private static final ThreadLocal<CharsetDecoder> STRICT_UTF8 = ThreadLocal.withInitial(() ->
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT));

    private static String decodeUtf8(byte[] bytes, int start, int length, String message, String field, int offset)
            throws MalformedFieldException {
        // The JDK's own decoding (ASCII copied as is, Latin-1 text kept one byte per char), then
        // strictness: a lenient decode replaces every malformed sequence with U+FFFD, so without
        // U+FFFD in the result the bytes were valid UTF-8. Only a string holding U+FFFD (encoded
        // on purpose, or replacing bad bytes) goes through the strict decoder, which tells which.
        String text = new String(bytes, start, length, StandardCharsets.UTF_8);
        if (text.indexOf(REPLACEMENT) < 0) {
            return text;
        }
        CharsetDecoder decoder = STRICT_UTF8.get().reset();
        ByteBuffer in = ByteBuffer.wrap(bytes, start, length);
        CharBuffer out = CharBuffer.allocate(length);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            // The bad value, as the contract asks: the bytes that are not UTF-8, and where.
            StringBuilder bad = new StringBuilder();
            for (int i = in.position(); i < in.position() + result.length(); i++) {
                bad.append(bad.length() == 0 ? "" : " ").append(String.format("%02X", bytes[i] & 0xFF));
            }
            throw new MalformedFieldException(message, field, "invalid UTF-8 in the " + length
                    + "-byte string at offset " + offset + ": " + bad + " at its byte " + (in.position() - start));
        }
        return out.flip().toString();
    }

    // ---- string list ---------------------------------------------------------------------

    public static List<String> readStringList(ByteBuffer in, String message, String field)
            throws MalformedFieldException {
        int count = readCount(in, message, field, MIN_STRING_SIZE);
        if (count == 0) {
            return List.of();
        }
        String[] values = new String[count];
        for (int i = 0; i < count; i++) {
            try {
                values[i] = readString(in, message, field);
            } catch (MalformedFieldException e) { // the element's path is built only on failure
                throw new MalformedFieldException(message, field + "[" + i + "]", e.detail());
            }
        }
        return List.of(values);
    }

    public static void writeStringList(ByteBuffer out, List<String> values) {
        out.putInt(values.size());
        for (String value : values) {
            writeString(out, value);
        }
    }

    public static int sizeOfStringList(List<String> values) {
        int size = INT_SIZE;
        for (String value : values) {
            size += sizeOfString(value);
        }
        return size;
    }

    // ---- string map ----------------------------------------------------------------------

    public static Map<String, String> readStringMap(ByteBuffer in, String message, String field)
            throws MalformedFieldException {
        int count = readCount(in, message, field, MIN_MAP_ENTRY_SIZE);
        if (count == 0) {
            return Map.of();
        }
        Map<String, String> values = new LinkedHashMap<>(count * 2);
        for (int i = 0; i < count; i++) {
            int offset = in.position();
            String key;
            String value;
            try {
                key = readString(in, message, field);
            } catch (MalformedFieldException e) {
                throw new MalformedFieldException(message, field + "[" + i + "].key", e.detail());
            }
            try {
                value = readString(in, message, field);
            } catch (MalformedFieldException e) {
                throw new MalformedFieldException(message, field + "[" + i + "].value", e.detail());
            }
            if (values.putIfAbsent(key, value) != null) {
                throw new MalformedFieldException(message, field, "duplicate key \"" + key + "\" at offset " + offset);
            }
        }
        return Collections.unmodifiableMap(values);
    }

    public static void writeStringMap(ByteBuffer out, Map<String, String> values) {
        out.putInt(values.size());
        for (Map.Entry<String, String> entry : values.entrySet()) {
            writeString(out, entry.getKey());
            writeString(out, entry.getValue());
        }
    }

    public static int sizeOfStringMap(Map<String, String> values) {
        int size = INT_SIZE;
        for (Map.Entry<String, String> entry : values.entrySet()) {
            size += sizeOfString(entry.getKey()) + sizeOfString(entry.getValue());
        }
        return size;
    }

    /**
     * An immutable copy that keeps the caller's iteration order (Map.copyOf does not), so that the
     * same map always encodes to the same bytes. Null keys and values are refused.
     */
    public static Map<String, String> immutableMap(Map<String, String> values) {
        Map<String, String> copy = new LinkedHashMap<>(values.size() * 2);
        for (Map.Entry<String, String> entry : values.entrySet()) {
            copy.put(java.util.Objects.requireNonNull(entry.getKey(), "map key"),
                    java.util.Objects.requireNonNull(entry.getValue(), "map value"));
        }
        return Collections.unmodifiableMap(copy);
    }

    // ---- end of message ------------------------------------------------------------------

    /** Refuses any byte left in the body after the last field. */
    public static void expectEnd(ByteBuffer in, String message) throws TrailingBytesException {
        if (in.hasRemaining()) {
            throw new TrailingBytesException(message, in.remaining(), in.position());
        }
    }
}
