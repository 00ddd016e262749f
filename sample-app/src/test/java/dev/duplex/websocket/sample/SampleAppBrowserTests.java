package dev.duplex.websocket.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.openqa.selenium.By;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The sample page in headless Chromium against the application on a random port: chat between two
 * browsers, ticks, sign-in and sign-out with the session feed, the metrics panel, permessage-deflate
 * and echo. Each test leaves a screenshot per browser under {@code target/screenshots/}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SampleAppBrowserTests {

    @LocalServerPort
    int port;

    private final List<Browser> browsers = new ArrayList<>();

    @BeforeAll
    static void browserIsInstalled() {
        Browser.requireBinaries();
    }

    @AfterEach
    void screenshotAndQuit(TestInfo test) {
        String name = test.getTestMethod().orElseThrow().getName();
        try {
            for (int i = 0; i < browsers.size(); i++) {
                browsers.get(i).screenshot(browsers.size() == 1 ? name : name + "-" + (i + 1));
            }
        } finally {
            browsers.forEach(Browser::close);
        }
    }

    private Browser openPage() throws IOException {
        Browser browser = Browser.start();
        browsers.add(browser);
        browser.open(base());
        return browser;
    }

    private String base() {
        return "http://127.0.0.1:" + port + "/";
    }

    private static void join(Browser browser, String name, String room) {
        browser.type("name", name);
        browser.type("room", room);
        browser.byId("join-button").click();
        browser.awaitText("chat-state", "OPEN");
    }

    private static void say(Browser browser, String text) {
        browser.await("the send field to be enabled", d -> browser.byId("text").isEnabled());
        browser.type("text", text);
        browser.byId("send").click();
    }

    @Test
    void twoBrowsersInOneRoomSeeEachOthersMessagesAndPresence() throws IOException {
        String room = "room-" + UUID.randomUUID().toString().substring(0, 8);
        Browser alice = openPage();
        Browser bob = openPage();

        join(alice, "alice", room);
        join(bob, "bob", room);
        alice.awaitText("presence", "alice, bob");
        bob.awaitText("presence", "alice, bob");
        alice.awaitText("messages", "bob joined");

        say(alice, "Hello from alice");
        say(bob, "Hi alice, bob here");

        bob.awaitText("messages", "Hello from alice");
        alice.awaitText("messages", "Hi alice, bob here");
        assertThat(alice.driver().findElements(By.cssSelector("#messages .from")))
                .extracting(e -> e.getText())
                .containsExactly("alice", "bob");
    }

    @Test
    void aNameAlreadyInTheRoomIsRefusedWith1008AndAReason() throws IOException {
        String room = "room-" + UUID.randomUUID().toString().substring(0, 8);
        Browser first = openPage();
        Browser second = openPage();
        join(first, "carol", room);

        second.type("name", "Carol");
        second.type("room", room);
        second.byId("join-button").click();

        second.awaitText("chat-error", "1008");
        assertThat(second.text("chat-error")).contains("The name Carol is taken in this room");
        assertThat(second.text("chat-state")).startsWith("CLOSED");
        first.awaitText("presence", "carol");
        assertThat(first.text("presence")).isEqualTo("carol");
    }

    @Test
    void ticksArrive() throws IOException {
        Browser browser = openPage();
        browser.awaitText("ticks-state", "OPEN");
        String first = browser.await("a first tick", d -> {
            String t = browser.text("tick");
            return t.startsWith("#") ? t : null;
        });

        browser.await("the tick to change from " + first, d -> {
            String t = browser.text("tick");
            return t.startsWith("#") && !t.equals(first);
        });
    }

    @Test
    void signingInOpensTheSessionFeedAndSigningOutClosesItWith1008() throws IOException {
        Browser browser = openPage();
        browser.awaitText("user", "not signed in");
        browser.byId("login").click();
        browser.type("username", "alice");
        browser.type("password", "password");
        browser.driver().findElement(By.cssSelector("button[type=submit]")).click();

        browser.awaitText("user", "signed in as alice");
        browser.awaitText("session-state", "OPEN");
        // The greeting, or a periodic line that replaced it already: both name the signed-in user.
        browser.awaitText("session-feed", "alice");

        browser.byId("logout").click();

        browser.awaitText("session-feed", "Closed with 1008");
        // Duplex's reason, or Tomcat's own for a socket of an authenticated session: whichever is first.
        assertThat(browser.text("session-feed")).containsIgnoringCase("session").contains("ended");
        assertThat(browser.text("session-state")).isEqualTo("CLOSED 1008");
        browser.awaitText("user", "not signed in");
        // The page's other sockets were opened under the same session: closed too, and reopened.
        browser.awaitText("ticks-state", "OPEN");
        browser.awaitText("echo-state", "OPEN");
    }

    @Test
    void showsTheMetricsPanelWithNumbers() throws IOException {
        Browser browser = openPage();
        browser.awaitText("ticks-state", "OPEN");

        long open = browser.await("open connections to be counted", d -> {
            String text = browser.text("m-open");
            return text.matches("\\d+") && Long.parseLong(text) >= 1 ? Long.parseLong(text) : null;
        });

        assertThat(open).isGreaterThanOrEqualTo(1);
        browser.await("the message rate", d -> browser.text("m-rate").matches("\\d+\\.\\d"));
        assertThat(browser.text("m-buffered")).matches("\\d+");
        assertThat(browser.text("m-buffered-max")).matches("\\d+");
        browser.awaitText("client-state", "OPEN");
        assertThat(browser.text("client-url")).isEqualTo("ws://127.0.0.1:" + port + "/echo");
    }

    @Test
    void chromiumAndTomcatAgreeOnPermessageDeflate() throws IOException {
        Browser browser = openPage();
        browser.awaitText("echo-state", "OPEN");

        String extensions = browser.await(
                "the echo socket's extensions", d -> browser.byId("echo-card").getDomAttribute("data-extensions"));

        assertThat(extensions).contains("permessage-deflate");
        assertThat(browser.text("echo-extensions")).contains("permessage-deflate");
    }

    @Test
    void echoesTextAsTextAndBinaryAsBinary() throws IOException {
        Browser browser = openPage();
        browser.awaitText("echo-state", "OPEN");

        browser.type("echo-text", "Grüße ✓ from the browser");
        browser.driver()
                .findElement(By.cssSelector("#echo button[type=submit]"))
                .click();
        browser.awaitText("echo-result", "text: Grüße ✓ from the browser");

        browser.byId("echo-binary").click();
        browser.awaitText("echo-result", "binary: ");
        assertThat(browser.text("echo-result")).matches("binary: ([0-9a-f]{2} ){15}[0-9a-f]{2} \\(same as sent\\)");
    }
}
