package dev.duplex.websocket.transport;

import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.jspecify.annotations.Nullable;

/**
 * TLS for a connection: an {@link SSLContext}, optional {@link SSLParameters}, and (on the client
 * side) hostname verification, on by default. Immutable and thread-safe.
 */
public final class TlsOptions {

    private final SSLContext context;
    private final @Nullable SSLParameters parameters;
    private final boolean hostnameVerification;

    private TlsOptions(SSLContext context, @Nullable SSLParameters parameters, boolean hostnameVerification) {
        this.context = context;
        this.parameters = parameters;
        this.hostnameVerification = hostnameVerification;
    }

    /** TLS through {@code context}, with its default parameters and hostname verification on. */
    public static TlsOptions of(SSLContext context) {
        return new TlsOptions(Objects.requireNonNull(context, "context"), null, true);
    }

    /** A copy whose engines get {@code parameters} (protocols, cipher suites, client auth…). */
    public TlsOptions withParameters(SSLParameters parameters) {
        return new TlsOptions(context, Objects.requireNonNull(parameters, "parameters"), hostnameVerification);
    }

    /**
     * A copy that does (or does not) check, on the client side, that the server's certificate
     * names the host connected to (the "HTTPS" endpoint identification of RFC 2818). Turn it off
     * only for tests and self-signed setups.
     */
    public TlsOptions withHostnameVerification(boolean hostnameVerification) {
        return new TlsOptions(context, parameters, hostnameVerification);
    }

    /** The context. */
    public SSLContext context() {
        return context;
    }

    /** The parameters, or null for the context's defaults. */
    public @Nullable SSLParameters parameters() {
        return parameters;
    }

    /** Whether clients verify the server's host name. */
    public boolean hostnameVerification() {
        return hostnameVerification;
    }

    /** A client engine for {@code host} (sent as SNI unless it is an IP literal). */
    SSLEngine clientEngine(String host, int port) {
        SSLEngine engine = context.createSSLEngine(host, port);
        engine.setUseClientMode(true);
        if (parameters != null) {
            engine.setSSLParameters(parameters);
        }
        SSLParameters p = engine.getSSLParameters(); // a copy: the caller's object stays as it was
        if (!hostnameVerification) {
            p.setEndpointIdentificationAlgorithm(null);
        } else if (p.getEndpointIdentificationAlgorithm() == null) {
            p.setEndpointIdentificationAlgorithm("HTTPS");
        }
        engine.setSSLParameters(p);
        return engine;
    }

    /** A server engine. */
    SSLEngine serverEngine() {
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(false);
        if (parameters != null) {
            engine.setSSLParameters(parameters);
        }
        return engine;
    }
}
