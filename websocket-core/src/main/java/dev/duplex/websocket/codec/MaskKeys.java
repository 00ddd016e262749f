package dev.duplex.websocket.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.SecureRandom;
import java.util.function.IntSupplier;

/**
 * Fresh masking keys from a strong source of entropy (RFC 6455 §5.3), drawn from a NIST SP
 * 800-90A DRBG a few hundred bytes (64 keys) at a time so that a key costs a read from an array.
 * Not thread-safe: one per encoder.
 */
final class MaskKeys implements IntSupplier {

    /**
     * The JDK's DRBG, seeded and reseeded from the system's entropy. The default {@code
     * SecureRandom} (NativePRNG) reads {@code /dev/urandom} under a lock on every refill, which cost
     * more than the rest of encoding a small frame; the DRBG is a cryptographically strong
     * generator at a fraction of that cost.
     */
    private static final SecureRandom RANDOM = strongRandom();

    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final int POOL_BYTES = 256;

    /** Key material, made on first use so an idle connection holds none; before {@link #next} spent. */
    private byte[] pool = new byte[0];

    private int next;

    private static SecureRandom strongRandom() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (java.security.NoSuchAlgorithmException e) {
            return new SecureRandom();
        }
    }

    @Override
    public int getAsInt() {
        if (next == pool.length) {
            if (pool.length == 0) {
                pool = new byte[POOL_BYTES];
            }
            RANDOM.nextBytes(pool);
            next = 0;
        }
        int key = (int) INTS.get(pool, next);
        next += 4;
        return key;
    }
}
