package dev.duplex.websocket.client;

import java.time.Duration;
import java.util.Objects;

/**
 * When {@link ReconnectingWebSocket} tries again: exponential backoff from {@code initialDelay},
 * multiplied by {@code multiplier} per failed attempt up to {@code maxDelay}, each delay spread
 * by ± {@code jitter} (a fraction) so that many clients do not return at once, for at most {@code
 * maxAttempts} attempts in a row (0: no limit). Immutable and thread-safe.
 *
 * @param initialDelay the delay before the first retry; positive
 * @param maxDelay the longest delay; at least {@code initialDelay}
 * @param multiplier the growth per failed attempt; at least 1
 * @param jitter the spread, in [0, 1]
 * @param maxAttempts the attempts in a row before giving up; 0 for no limit
 */
public record ReconnectPolicy(
        Duration initialDelay, Duration maxDelay, double multiplier, double jitter, int maxAttempts) {

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
    }

    /** 1 s doubling to at most 30 s, ± 20 % jitter, no attempt limit. */
    public static ReconnectPolicy defaults() {
        return DEFAULTS;
    }

    /** A copy with {@code initialDelay} and {@code maxDelay}. */
    public ReconnectPolicy withDelays(Duration initialDelay, Duration maxDelay) {
        return new ReconnectPolicy(initialDelay, maxDelay, multiplier, jitter, maxAttempts);
    }

    /** A copy with {@code multiplier}. */
    public ReconnectPolicy withMultiplier(double multiplier) {
        return new ReconnectPolicy(initialDelay, maxDelay, multiplier, jitter, maxAttempts);
    }

    /** A copy with {@code jitter}. */
    public ReconnectPolicy withJitter(double jitter) {
        return new ReconnectPolicy(initialDelay, maxDelay, multiplier, jitter, maxAttempts);
    }

    /** A copy with {@code maxAttempts} (0: no limit). */
    public ReconnectPolicy withMaxAttempts(int maxAttempts) {
        return new ReconnectPolicy(initialDelay, maxDelay, multiplier, jitter, maxAttempts);
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
