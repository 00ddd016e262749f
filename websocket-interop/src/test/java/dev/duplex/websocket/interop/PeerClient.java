package dev.duplex.websocket.interop;

import java.net.URI;
import java.util.List;

/**
 * An independent WebSocket client that Duplex's server is tested against. Its connections put
 * what they receive into a {@link Recorder}: text, binary, pongs and the close frame (code and
 * reason; {@code wasClean} always true).
 */
abstract class PeerClient {

    /** What a peer can be made to do; the script skips, by assumption, what it cannot. */
    record Abilities(boolean sendsFragments, boolean pings, boolean deflates, boolean misbehaves) {}

    private final Abilities abilities;

    PeerClient(Abilities abilities) {
        this.abilities = abilities;
    }

    /** Opens a connection offering {@code subprotocols} and, when asked, permessage-deflate. */
    abstract PeerConnection connect(URI uri, List<String> subprotocols, boolean deflate) throws Exception;

    /** Whether the peer can send a message in fragments. */
    final boolean sendsFragments() {
        return abilities.sendsFragments();
    }

    /** Whether the peer can send a ping with a payload. */
    final boolean pings() {
        return abilities.pings();
    }

    /** Whether the peer supports permessage-deflate. */
    final boolean deflates() {
        return abilities.deflates();
    }

    /** Whether the peer can be made to break the protocol. */
    final boolean misbehaves() {
        return abilities.misbehaves();
    }

    abstract void stop() throws Exception;

    /** One open connection of a peer client. */
    abstract static class PeerConnection {
        final Recorder events = new Recorder();

        /** The subprotocol in the server's response, or "" for none. */
        abstract String subprotocol();

        /** The server's {@code Sec-WebSocket-Extensions} header, or "" for none. */
        abstract String extensions();

        abstract void sendText(String text) throws Exception;

        abstract void sendBinary(byte[] bytes) throws Exception;

        /** Sends {@code text} as one message in fragments of about {@code size} bytes. */
        void sendFragments(String text, int size) throws Exception {
            throw new UnsupportedOperationException();
        }

        void ping(String payload) throws Exception {
            throw new UnsupportedOperationException();
        }

        abstract void close(int code, String reason) throws Exception;

        /** Breaks the protocol. */
        void misbehave() throws Exception {
            throw new UnsupportedOperationException();
        }
    }
}
