package ar.loteria.server.transport;

import ar.loteria.protocol.runtime.FrameCodec;
import ar.loteria.protocol.runtime.Message;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/** Writes each reply as one frame, encoded by the generated codecs. */
@ChannelHandler.Sharable
final class FrameEncoder extends MessageToByteEncoder<Message> {
    private final FrameCodec codec;

    FrameEncoder(FrameCodec codec) {
        this.codec = codec;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Message message, ByteBuf out) {
        out.writeBytes(codec.encode(message));
    }
}
