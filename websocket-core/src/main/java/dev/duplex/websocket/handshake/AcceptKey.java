package dev.duplex.websocket.handshake;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Random;

/**
 * The {@code Sec-WebSocket-Key} nonce and the {@code Sec-WebSocket-Accept} answer derived from it
 * (RFC 6455 §4.2.2 and §1.3). Stateless and thread-safe.
 */
public final class AcceptKey {

    /** RFC 6455 §1.3: the GUID appended to the key before hashing. */
    static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    /** RFC 6455 §4.1: the key is 16 random bytes. */
    private static final int KEY_BYTES = 16;

    private static final SecureRandom RANDOM = new SecureRandom();

    private AcceptKey() {}

    /**
     * The {@code Sec-WebSocket-Accept} value for {@code key}: base64 of the SHA-1 of the key
     * followed by the GUID. {@code dGhlIHNhbXBsZSBub25jZQ==} gives {@code s3pPLMBiTxaQ9kYGzzhZRbK+xOo=}.
     */
    public static String accept(String key) {
        MessageDigest sha1;
        try {
            sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required of every Java platform", e);
        }
        byte[] digest = sha1.digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
        return Base64.getEncoder().encodeToString(digest);
    }

    /** A fresh key: base64 of 16 bytes from a shared {@link SecureRandom}. */
    public static String newKey() {
        return newKey(RANDOM);
    }

    /** A key from 16 bytes of {@code random}, for tests that need repeatable keys. */
    public static String newKey(Random random) {
        byte[] nonce = new byte[KEY_BYTES];
        random.nextBytes(nonce);
        return Base64.getEncoder().encodeToString(nonce);
    }

    /**
     * Whether {@code key} is the canonical base64 (with padding) of exactly 16 bytes, as RFC 6455
     * §4.2.1 requires of {@code Sec-WebSocket-Key}.
     */
    public static boolean isValidKey(String key) {
        if (key.length() != 24) {
            return false;
        }
        try {
            byte[] decoded = Base64.getDecoder().decode(key);
            return decoded.length == KEY_BYTES
                    && Base64.getEncoder().encodeToString(decoded).equals(key);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
