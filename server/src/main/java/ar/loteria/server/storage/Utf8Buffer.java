package ar.loteria.server.storage;

import java.util.Arrays;

/**
 * An {@link Appendable} that encodes straight to UTF-8 bytes in a reused, growing array, so that
 * formatted rows reach the file without a String, a char-to-byte copy or a StringBuilder that
 * stays UTF-16 after the first non-Latin-1 name. Unpaired surrogates become '?', as
 * {@link String#getBytes} does.
 */
final class Utf8Buffer implements Appendable {
    private byte[] bytes;
    private int length;
    private char pendingHigh;

    Utf8Buffer(int initialCapacity) {
        bytes = new byte[initialCapacity];
    }

    void reset() {
        length = 0;
        pendingHigh = 0;
    }

    byte[] array() {
        return bytes;
    }

    int length() {
        flushPending();
        return length;
    }

    @Override
    public Utf8Buffer append(CharSequence text) {
        return append(text, 0, text.length());
    }

    @Override
    public Utf8Buffer append(CharSequence text, int start, int end) {
        int count = end - start;
        ensure(count);
        if (pendingHigh == 0) {
            // Names are mostly ASCII: one byte per char, straight into the array, no allocation.
            int i = 0;
            for (; i < count; i++) {
                char c = text.charAt(start + i);
                if (c >= 0x80) {
                    break;
                }
                bytes[length + i] = (byte) c;
            }
            length += i;
            start += i;
        }
        ensure(3 * (end - start) + 4);
        for (int i = start; i < end; i++) {
            put(text.charAt(i));
        }
        return this;
    }

    /** Bytes already in UTF-8. */
    Utf8Buffer appendBytes(byte[] utf8) {
        flushPending();
        ensure(utf8.length);
        System.arraycopy(utf8, 0, bytes, length, utf8.length);
        length += utf8.length;
        return this;
    }

    /** The decimal digits of a non-negative int, as {@link Integer#toString} writes them. */
    Utf8Buffer appendDigits(int value) {
        if (value < 0) {
            throw new IllegalArgumentException("negative value " + value);
        }
        flushPending();
        ensure(10);
        int digits = 1;
        for (int rest = value / 10; rest != 0; rest /= 10) {
            digits++;
        }
        for (int i = length + digits - 1; i >= length; i--) {
            bytes[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        length += digits;
        return this;
    }

    /** yyyymmdd (a validated date, year 1 to 9999) as ISO YYYY-MM-DD. */
    Utf8Buffer appendIsoDate(int yyyymmdd) {
        flushPending();
        ensure(10);
        int year = yyyymmdd / 10000;
        int month = yyyymmdd / 100 % 100;
        int day = yyyymmdd % 100;
        byte[] b = bytes;
        int at = length;
        b[at] = (byte) ('0' + year / 1000);
        b[at + 1] = (byte) ('0' + year / 100 % 10);
        b[at + 2] = (byte) ('0' + year / 10 % 10);
        b[at + 3] = (byte) ('0' + year % 10);
        b[at + 4] = '-';
        b[at + 5] = (byte) ('0' + month / 10);
        b[at + 6] = (byte) ('0' + month % 10);
        b[at + 7] = '-';
        b[at + 8] = (byte) ('0' + day / 10);
        b[at + 9] = (byte) ('0' + day % 10);
        length += 10;
        return this;
    }

    @Override
    public Utf8Buffer append(char c) {
        ensure(4);
        put(c);
        return this;
    }

    private void put(char c) {
        if (pendingHigh != 0) {
            char high = pendingHigh;
            pendingHigh = 0;
            if (Character.isLowSurrogate(c)) {
                int codePoint = Character.toCodePoint(high, c);
                bytes[length++] = (byte) (0xF0 | codePoint >> 18);
                bytes[length++] = (byte) (0x80 | codePoint >> 12 & 0x3F);
                bytes[length++] = (byte) (0x80 | codePoint >> 6 & 0x3F);
                bytes[length++] = (byte) (0x80 | codePoint & 0x3F);
                return;
            }
            bytes[length++] = '?';
        }
        if (c < 0x80) {
            bytes[length++] = (byte) c;
        } else if (c < 0x800) {
            bytes[length++] = (byte) (0xC0 | c >> 6);
            bytes[length++] = (byte) (0x80 | c & 0x3F);
        } else if (Character.isHighSurrogate(c)) {
            pendingHigh = c;
        } else if (Character.isLowSurrogate(c)) {
            bytes[length++] = '?';
        } else {
            bytes[length++] = (byte) (0xE0 | c >> 12);
            bytes[length++] = (byte) (0x80 | c >> 6 & 0x3F);
            bytes[length++] = (byte) (0x80 | c & 0x3F);
        }
    }

    private void flushPending() {
        if (pendingHigh != 0) {
            ensure(1);
            bytes[length++] = '?';
            pendingHigh = 0;
        }
    }

    private void ensure(int extra) {
        if (length + extra > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + extra));
        }
    }
}
