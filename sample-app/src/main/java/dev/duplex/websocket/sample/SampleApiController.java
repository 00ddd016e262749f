package dev.duplex.websocket.sample;

import java.security.Principal;
import org.jspecify.annotations.Nullable;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The small JSON API the page polls: who is signed in, the outbound client, the metrics panel. */
@RestController
public class SampleApiController {

    /**
     * {@code GET /api/me}.
     *
     * @param user the signed-in user's name, or null
     * @param csrf the CSRF token the page's sign-out form posts
     */
    public record Me(@Nullable String user, String csrf) {}

    private final OutboundClient outbound;
    private final MetricsSummary metrics;

    SampleApiController(OutboundClient outbound, MetricsSummary metrics) {
        this.outbound = outbound;
        this.metrics = metrics;
    }

    /** Who is signed in, and the CSRF token for signing out. */
    @GetMapping("/api/me")
    public Me me(@Nullable Principal principal, CsrfToken csrf) {
        return new Me(principal == null ? null : principal.getName(), csrf.getToken());
    }

    /** The outbound client's state, target, attempts and last ping round trip. */
    @GetMapping("/api/client")
    public OutboundClient.Status client() {
        return outbound.status();
    }

    /** Open connections, messages per second and the buffered amount, from Micrometer. */
    @GetMapping("/api/metrics")
    public MetricsSummary.Snapshot metrics() {
        return metrics.snapshot();
    }
}
