package dev.duplex.websocket.interop;

import static org.assertj.core.api.Assertions.fail;

import dev.duplex.websocket.CloseReason;
import java.net.URI;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * An independent WebSocket server that Duplex's client is tested against. It accepts at {@link
 * #uri()}, runs the {@link Command} script, echoes everything else with its type, offers the
 * subprotocols {@link #SUBPROTOCOLS} (picking the first one the client offers that it knows), and
 * records every close frame it receives.
 */
abstract class PeerServer {

    /** The subprotocols every peer server knows. */
    static final List<String> SUBPROTOCOLS = List.of("chat.v1", "chat.v2");

    /** Raised message limit of the peers that have one: above the largest test message. */
    static final int MAX_MESSAGE = 32 << 20;

    private final BlockingQueue<CloseReason> closes = new LinkedBlockingQueue<>();

    /** The echo endpoint's URI on 127.0.0.1. */
    abstract URI uri();

    /** Whether {@code #fragments} cuts bytes (through characters) rather than whole characters. */
    abstract boolean fragmentsBytes();

    /** Whether the peer can be made to break the protocol ({@code #bad}). */
    abstract boolean misbehaves();

    /** Whether the peer supports permessage-deflate. */
    abstract boolean deflates();

    /**
     * The {@code Sec-WebSocket-Extensions} element the peer answers to permessage-deflate offered
     * with {@code server_max_window_bits=10}, or null when it declines the offer.
     */
    @Nullable
    String agreedToServerWindowOf10() {
        return "permessage-deflate; server_max_window_bits=10";
    }

    /** The {@code Sec-WebSocket-Extensions} element the peer answers to a plain permessage-deflate offer. */
    String agreedByDefault() {
        return "permessage-deflate";
    }

    /**
     * The {@code Sec-WebSocket-Extensions} element the peer answers to permessage-deflate offered
     * with {@code client_no_context_takeover}.
     */
    String agreedToClientNoContextTakeover() {
        return "permessage-deflate; client_no_context_takeover";
    }

    /**
     * Fragment size, in bytes of compressed payload, of the fragmented compressed messages sent to
     * the peer: small, so that fragments cut through deflate's codes.
     */
    int compressedFragmentSize() {
        return 3;
    }

    /** Stops the server. */
    abstract void stop() throws Exception;

    /** Called by subclasses with each close frame the server receives. */
    final void closed(int code, String reason) {
        closes.add(new CloseReason(code, reason));
    }

    /** The next close frame the server received, failing the test when none comes in time. */
    final CloseReason nextClose() throws InterruptedException {
        CloseReason reason = closes.poll(Recorder.WAIT_SECONDS, TimeUnit.SECONDS);
        if (reason == null) {
            fail("the peer server received no close frame within " + Recorder.WAIT_SECONDS + " s");
        }
        return reason;
    }

    /** Forgets closes of earlier tests. */
    final void clearCloses() {
        closes.clear();
    }

    /** The first of the client's offered subprotocols this server knows, or null. */
    static @Nullable String choose(List<String> offered) {
        return offered.stream().filter(SUBPROTOCOLS::contains).findFirst().orElse(null);
    }
}
