package ar.loteria.protocol.runtime;

/** A message was fully decoded but its frame still held bytes. */
public final class TrailingBytesException extends ProtocolException {
    public TrailingBytesException(String messageName, int trailing, int offset) {
        super(Kind.TRAILING_BYTES, messageName, null,
                trailing + " trailing byte(s) after the message at offset " + offset);
    }
}
