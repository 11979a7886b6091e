package ar.loteria.server.transport;

import ar.loteria.protocol.runtime.FrameCodec;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;
import java.nio.ByteBuffer;
import java.util.List;

/** Decodes each whole frame from {@link FrameSplitter} into its message, strictly, with the generated codecs. */
@ChannelHandler.Sharable
final class MessageDecoder extends MessageToMessageDecoder<ByteBuf> {
    private final FrameCodec codec;

    MessageDecoder(FrameCodec codec) {
        this.codec = codec;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf frame, List<Object> out) throws Exception {
        out.add(codec.decodeBody(frame.getUnsignedByte(frame.readerIndex()), body(frame)));
    }

    /**
     * The body as a heap buffer: Netty reads sockets into direct memory, from which the codecs would
     * copy every string on its own (four per bet); one copy of the body lets them read each string
     * straight from the array (docs/performance.md).
     */
    private static ByteBuffer body(ByteBuf frame) {
        int start = frame.readerIndex() + FrameCodec.HEADER_SIZE;
        int length = frame.readableBytes() - FrameCodec.HEADER_SIZE;
        if (frame.hasArray()) {
            return frame.nioBuffer(start, length);
        }
        byte[] body = new byte[length];
        frame.getBytes(start, body);
        return ByteBuffer.wrap(body);
    }
}
