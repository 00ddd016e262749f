package dev.duplex.websocket.handshake;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Values of the {@code Authorization} and {@code Proxy-Authorization} headers a client sends:
 * basic (RFC 7617) and bearer (RFC 6750) credentials. Stateless and thread-safe.
 */
public final class HttpAuthorization {

    private HttpAuthorization() {}

    /**
     * {@code Basic} and the base64 of {@code user:password} in UTF-8 (RFC 7617 §2.1).
     *
     * @throws IllegalArgumentException if the user contains a colon, or either contains a control
     *     character
     */
    public static String basic(String user, String password) {
        if (user.indexOf(':') >= 0) {
            throw new IllegalArgumentException("'user' must not contain ':' (RFC 7617 §2)");
        }
        checkNoControl("user", user);
        checkNoControl("password", password);
        byte[] pair = (user + ":" + password).getBytes(StandardCharsets.UTF_8);
        return "Basic " + Base64.getEncoder().encodeToString(pair);
    }

    /**
     * {@code Bearer} and the token (RFC 6750 §2.1).
     *
     * @throws IllegalArgumentException if the token is not a token68: letters, digits, {@code
     *     -._~+/}, then optional {@code =} padding
     */
    public static String bearer(String token) {
        int i = 0;
        while (i < token.length() && isToken68Char(token.charAt(i))) {
            i++;
        }
        int body = i;
        while (i < token.length() && token.charAt(i) == '=') {
            i++;
        }
        if (body == 0 || i != token.length()) {
            throw new IllegalArgumentException(
                    "'token' must be letters, digits and -._~+/ with optional = padding (RFC 6750 §2.1)");
        }
        return "Bearer " + token;
    }

    private static boolean isToken68Char(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~+/".indexOf(c) >= 0;
    }

    private static void checkNoControl(String what, String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isISOControl(s.charAt(i))) {
                throw new IllegalArgumentException("'" + what + "' must not contain control characters");
            }
        }
    }
}
