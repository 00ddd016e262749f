package dev.duplex.websocket.codec;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Keeps a copy of every frame it receives. */
final class RecordingFrameSink implements FrameSink {

    final List<Frame> frames = new ArrayList<>();
    /** The payload views as handed over, valid only for checks made right after decoding. */
    final List<ByteBuffer> views = new ArrayList<>();

    @Override
    public void onFrame(boolean fin, int rsv, Opcode opcode, ByteBuffer payload) {
        views.add(payload.duplicate());
        byte[] bytes = new byte[payload.remaining()];
        payload.get(payload.position(), bytes);
        frames.add(new Frame(fin, rsv, opcode, bytes));
    }
}
