package dev.duplex.websocket.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.SecureRandom;
import java.util.function.IntSupplier;

/**
 * Fresh masking keys from a strong source of entropy (RFC 6455 §5.3), drawn from
 * {@link SecureRandom} a kilobyte (256 keys) at a time so that a key costs a read from an array.
 * Not thread-safe: one per encoder.
 */
final class MaskKeys implements IntSupplier {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final int POOL_BYTES = 1024;

    /** Key material; the bytes before {@link #next} are spent. */
    private final byte[] pool = new byte[POOL_BYTES];

    private int next = POOL_BYTES;

    @Override
    public int getAsInt() {
        if (next == POOL_BYTES) {
            RANDOM.nextBytes(pool);
            next = 0;
        }
        int key = (int) INTS.get(pool, next);
        next += 4;
        return key;
    }
}
