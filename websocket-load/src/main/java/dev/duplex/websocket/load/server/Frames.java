package dev.duplex.websocket.load.server;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** The bytes the load generator sends: an upgrade request and masked client frames (RFC 6455 §5.2, §5.3). */
final class Frames {

    /** Opcode of a binary frame (RFC 6455 §5.2). */
    static final int BINARY = 0x2;
    /** Opcode of a close frame (RFC 6455 §5.5.1). */
    static final int CLOSE = 0x8;

    private Frames() {}

    static byte[] upgradeRequest(int port) {
        return ("GET " + EchoServerMain.PATH + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                        + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * One final client frame with a fixed masking key. Servers do not judge the key's randomness,
     * and a frame built once costs the load generator nothing per message.
     */
    static byte[] clientFrame(int opcode, byte[] payload) {
        int n = payload.length;
        int lengthBytes = n < 126 ? 0 : n < 65536 ? 2 : 8;
        ByteBuffer b = ByteBuffer.allocate(2 + lengthBytes + 4 + n);
        b.put((byte) (0x80 | opcode));
        if (lengthBytes == 0) {
            b.put((byte) (0x80 | n));
        } else if (lengthBytes == 2) {
            b.put((byte) (0x80 | 126)).putShort((short) n);
        } else {
            b.put((byte) (0x80 | 127)).putLong(n);
        }
        byte[] key = {0x12, 0x34, 0x56, 0x78};
        b.put(key);
        for (int i = 0; i < n; i++) {
            b.put((byte) (payload[i] ^ key[i & 3]));
        }
        return b.array();
    }

    /** A close frame 1000. */
    static byte[] close() {
        return clientFrame(CLOSE, new byte[] {0x03, (byte) 0xe8});
    }

    /**
     * Counts whole messages in the server's unmasked frames, fed in any chunking; payloads are
     * skipped, not kept.
     */
    static final class MessageCounter {
        private final byte[] header = new byte[10];
        private int headerHave;
        private int headerNeed = 2;
        private long payloadLeft;
        private boolean fin;
        private int opcode;
        private boolean closed;

        /** Consumes the buffer; returns the number of messages completed in it. */
        int feed(ByteBuffer in) {
            int messages = 0;
            while (in.hasRemaining()) {
                if (payloadLeft > 0) {
                    int skip = (int) Math.min(payloadLeft, in.remaining());
                    in.position(in.position() + skip);
                    payloadLeft -= skip;
                    if (payloadLeft == 0) {
                        messages += frameDone();
                    }
                    continue;
                }
                header[headerHave++] = in.get();
                if (headerHave == 2) {
                    int len = header[1] & 0x7f;
                    headerNeed = len < 126 ? 2 : len == 126 ? 4 : 10;
                }
                if (headerHave < headerNeed) {
                    continue;
                }
                fin = (header[0] & 0x80) != 0;
                opcode = header[0] & 0x0f;
                int len = header[1] & 0x7f;
                payloadLeft = len < 126
                        ? len
                        : len == 126
                                ? ((header[2] & 0xff) << 8) | (header[3] & 0xff)
                                : ByteBuffer.wrap(header, 2, 8).getLong();
                headerHave = 0;
                headerNeed = 2;
                if (payloadLeft == 0) {
                    messages += frameDone();
                }
            }
            return messages;
        }

        private int frameDone() {
            if (opcode == CLOSE) {
                closed = true;
                return 0;
            }
            // Data frames and continuations end a message on FIN; pings and pongs never do.
            return fin && opcode < 0x8 ? 1 : 0;
        }

        /** Whether a close frame arrived. */
        boolean closed() {
            return closed;
        }
    }
}
