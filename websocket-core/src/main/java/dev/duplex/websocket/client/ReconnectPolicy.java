package dev.duplex.websocket.client;

import dev.duplex.websocket.CloseReason;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * When {@link ReconnectingWebSocket} tries again: exponential backoff from {@code initialDelay},
 * multiplied by {@code multiplier} per failed attempt up to {@code maxDelay}, each delay spread
 * by ± {@code jitter} (a fraction) so that many clients do not return at once, for at most {@code
 * maxAttempts} attempts in a row (0: no limit). Immutable and thread-safe.
 *
 * <p>Which closes of an open connection lead to a reconnect: an abnormal close (1006: the TCP
 * connection dropped without a closing handshake, a keep-alive timeout, a failed read) always
 * does; a close with a status code does when the code is in {@code reconnectCloseCodes}. The
 * default set is 1001 (going away: a server restarting or an idle timeout), 1011 (internal
 * error), 1012 (service restart) and 1013 (try again later) (RFC 6455 §7.4.1 and the IANA
 * registry): the closes that say "not now" rather than "no". A normal close (1000) by the server
 * means it is done with this client, and a protocol or policy error (1002, 1003, 1007–1010, or an
 * application's 4xxx) would most likely happen again, so by default neither reconnects; {@link
 * #withReconnectCloseCodes(Set)} changes that (add 1000 to reconnect after every clean close).
 *
 * @param initialDelay the delay before the first retry; positive
 * @param maxDelay the longest delay; at least {@code initialDelay}
 * @param multiplier the growth per failed attempt; at least 1
 * @param jitter the spread, in [0, 1]
 * @param maxAttempts the attempts in a row before giving up; 0 for no limit
 * @param reconnectCloseCodes the close status codes after which an open connection is reconnected
 *     (an abnormal close always is); each in [1000, 5000) and not 1005, 1006 or 1015
 */
public record ReconnectPolicy(
        Duration initialDelay,
        Duration maxDelay,
        double multiplier,
        double jitter,
        int maxAttempts,
        Set<Integer> reconnectCloseCodes) {

    /** The close codes that reconnect by default: going away, internal error, service restart, try again later. */
    public static final Set<Integer> DEFAULT_RECONNECT_CLOSE_CODES = Set.of(1001, 1011, 1012, 1013);

    /** 1 s, doubling to at most 30 s, ± 20 %, without limit. */
    private static final ReconnectPolicy DEFAULTS =
            new ReconnectPolicy(Duration.ofSeconds(1), Duration.ofSeconds(30), 2.0, 0.2, 0);

    /**
     * Checks the arguments.
     *
     * @throws IllegalArgumentException when one is outside its range
     */
    public ReconnectPolicy {
        Objects.requireNonNull(initialDelay, "initialDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        if (initialDelay.isNegative() || initialDelay.isZero()) {
            throw new IllegalArgumentException("'initialDelay' must be positive, was " + initialDelay);
        }
        if (maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException(
                    "'maxDelay' must be at least 'initialDelay' (" + initialDelay + "), was " + maxDelay);
        }
        if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("'multiplier' must be at least 1, was " + multiplier);
        }
        if (!(jitter >= 0.0 && jitter <= 1.0)) {
            throw new IllegalArgumentException("'jitter' must be in [0, 1], was " + jitter);
        }
        if (maxAttempts < 0) {
            throw new IllegalArgumentException("'maxAttempts' must be 0 (no limit) or positive, was " + maxAttempts);
        }
        Objects.requireNonNull(reconnectCloseCodes, "reconnectCloseCodes");
        for (Integer code : reconnectCloseCodes) {
            int c = Objects.requireNonNull(code, "close code");
            if (c < 1000 || c >= 5000 || c == 1005 || c == CloseReason.ABNORMAL_CLOSURE || c == 1015) {
                throw new IllegalArgumentException(
                        "'reconnectCloseCodes' must hold codes in [1000, 5000) other than 1005, 1006 and 1015, had "
                                + c);
            }
        }
        reconnectCloseCodes = Set.copyOf(reconnectCloseCodes);
    }

    /** A policy that reconnects after {@link #DEFAULT_RECONNECT_CLOSE_CODES} and abnormal closes. */
    public ReconnectPolicy(
            Duration initialDelay, Duration maxDelay, double multiplier, double jitter, int maxAttempts) {
        this(initialDelay, maxDelay, multiplier, jitter, maxAttempts, DEFAULT_RECONNECT_CLOSE_CODES);
    }

    /** 1 s doubling to at most 30 s, ± 20 % jitter, no attempt limit. */
    public static ReconnectPolicy defaults() {
        return DEFAULTS;
    }

    /** A copy with {@code initialDelay} and {@code maxDelay}. */
    public ReconnectPolicy withDelays(Duration initialDelay, Duration maxDelay) {
        return new ReconnectPolicy(initialDelay, maxDelay, multiplier, jitter, maxAttempts, reconnectCloseCodes);
    }

    /** A copy with {@code multiplier}. */
    public ReconnectPolicy withMultiplier(double multiplier) {
        return new ReconnectPolicy(initialDelay, maxDelay, multiplier, jitter, maxAttempts, reconnectCloseCodes);
    }

    /** A copy with {@code jitter}. */
    public ReconnectPolicy withJitter(double jitter) {
        return new ReconnectPolicy(initialDelay, maxDelay, multiplier, jitter, maxAttempts, reconnectCloseCodes);
    }

    /** A copy with {@code maxAttempts} (0: no limit). */
    public ReconnectPolicy withMaxAttempts(int maxAttempts) {
        return new ReconnectPolicy(initialDelay, maxDelay, multiplier, jitter, maxAttempts, reconnectCloseCodes);
    }

    /**
     * A copy that reconnects an open connection after a close with one of {@code codes} (an
     * abnormal close always reconnects); {@code Set.of()} reconnects only after abnormal closes,
     * and adding 1000 reconnects after every clean close too.
     *
     * @throws IllegalArgumentException for a code outside [1000, 5000), or 1005, 1006 or 1015
     */
    public ReconnectPolicy withReconnectCloseCodes(Set<Integer> codes) {
        return new ReconnectPolicy(initialDelay, maxDelay, multiplier, jitter, maxAttempts, codes);
    }

    /**
     * Whether an open connection that closed with {@code code} is reconnected: always for 1006
     * (abnormal closure), else when {@code code} is in {@link #reconnectCloseCodes()}.
     */
    public boolean reconnectsAfterClose(int code) {
        return code == CloseReason.ABNORMAL_CLOSURE || reconnectCloseCodes.contains(code);
    }

    /**
     * The delay after failed attempt number {@code attempt} (from 1): {@code initialDelay ×
     * multiplier^(attempt-1)}, at most {@code maxDelay}, then scaled by {@code 1 + jitter × (2 ×
     * random - 1)}.
     *
     * @param random a number in [0, 1), such as {@code ThreadLocalRandom.current().nextDouble()}
     * @throws IllegalArgumentException if {@code attempt} is below 1 or {@code random} outside [0, 1)
     */
    public Duration delay(int attempt, double random) {
        if (attempt < 1) {
            throw new IllegalArgumentException("'attempt' must be at least 1, was " + attempt);
        }
        if (!(random >= 0.0 && random < 1.0)) {
            throw new IllegalArgumentException("'random' must be in [0, 1), was " + random);
        }
        double base = initialDelay.toNanos() * Math.pow(multiplier, attempt - 1.0);
        double capped = Math.min(base, maxDelay.toNanos());
        double spread = capped * (1.0 + jitter * (2.0 * random - 1.0));
        return Duration.ofNanos((long) Math.max(0.0, spread));
    }

    /** Whether attempt number {@code attempt} (from 1) was the last one allowed. */
    public boolean isLastAttempt(int attempt) {
        return maxAttempts > 0 && attempt >= maxAttempts;
    }
}
