package dev.duplex.websocket.spring.autoconfigure.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.duplex.websocket.CloseReason;
import dev.duplex.websocket.Message;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** The blocking-mode queue between the container's thread and {@code receive}. */
class PullQueueTests {

    private final PullQueue queue = new PullQueue(10);

    @Test
    void returnsPartsInOrderThenClosedAgainAndAgain() throws Exception {
        queue.add(new Message.Text("a", false), 1);
        queue.add(new Message.Text("b", true), 1);
        queue.end(new CloseReason(1000, "bye"));

        assertThat(queue.take(Duration.ofSeconds(1))).isEqualTo(new Message.Text("a", false));
        assertThat(queue.take(Duration.ofSeconds(1))).isEqualTo(new Message.Text("b", true));
        Message.Closed closed = new Message.Closed(new CloseReason(1000, "bye"));
        assertThat(queue.take(Duration.ofSeconds(1))).isEqualTo(closed);
        assertThat(queue.take(Duration.ofSeconds(1))).isEqualTo(closed);
    }

    @Test
    void timesOutWhenNothingArrives() {
        assertThatThrownBy(() -> queue.take(Duration.ofMillis(20)))
                .isInstanceOf(TimeoutException.class)
                .hasMessage("No message within 20 ms");
    }

    @Test
    void holdsTheAddingThreadPastTheMaximumUntilThePartsAreTaken() throws Exception {
        queue.add(new Message.Text("x".repeat(11), true), 11); // past the maximum of 10
        CompletableFuture<Void> second = CompletableFuture.runAsync(() -> {
            try {
                queue.add(new Message.Text("y", true), 1);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThatThrownBy(() -> second.get(200, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);

        assertThat(queue.take(Duration.ofSeconds(1))).isEqualTo(new Message.Text("x".repeat(11), true));
        second.get(10, TimeUnit.SECONDS);
        assertThat(queue.take(Duration.ofSeconds(1))).isEqualTo(new Message.Text("y", true));
    }

    @Test
    void letsTheAddingThreadGoWhenTheConnectionStartsClosing() throws Exception {
        queue.add(new Message.Binary(java.nio.ByteBuffer.allocate(11), true), 11);
        CompletableFuture<Void> second = CompletableFuture.runAsync(() -> {
            try {
                queue.add(new Message.Text("late", true), 4);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThatThrownBy(() -> second.get(200, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
        queue.release();
        second.get(10, TimeUnit.SECONDS);
    }
}
