package dev.duplex.websocket.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.duplex.websocket.spring.autoconfigure.client.WebSocketClientProperties;
import dev.duplex.websocket.spring.autoconfigure.server.WebSocketServerProperties;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.BeanWrapper;
import org.springframework.beans.BeanWrapperImpl;
import org.springframework.boot.convert.ApplicationConversionService;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The configuration metadata that IDEs complete from, as generated at build time: every property
 * has a description, every property with a default states it, and what it states is the default
 * that really applies; every enumeration has its values as hints.
 */
class ConfigurationMetadataTests {

    private static final String SERVER = "duplex.websocket.server.";
    private static final String CLIENT = "duplex.websocket.client.";

    private static JsonNode metadata() throws Exception {
        try (InputStream in =
                ConfigurationMetadataTests.class.getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(in).as("generated metadata on the class path").isNotNull();
            return JsonMapper.builder().build().readTree(in);
        }
    }

    private static List<JsonNode> properties() throws Exception {
        List<JsonNode> list = new ArrayList<>();
        metadata().get("properties").forEach(list::add);
        return list;
    }

    /** The properties object a name belongs to, fresh, so that it holds the defaults. */
    private static BeanWrapper defaults(String name) {
        Object target = name.startsWith(SERVER) ? new WebSocketServerProperties() : new WebSocketClientProperties();
        return new BeanWrapperImpl(target);
    }

    /** {@code duplex.websocket.client.compression.server-max-window-bits} → {@code compression.serverMaxWindowBits}. */
    private static String path(String name) {
        String rest = name.startsWith(SERVER) ? name.substring(SERVER.length()) : name.substring(CLIENT.length());
        StringBuilder path = new StringBuilder();
        boolean upper = false;
        for (char c : rest.toCharArray()) {
            if (c == '-') {
                upper = true;
            } else {
                path.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return path.toString();
    }

    private static boolean hasDefault(Object value) {
        return value != null
                && !(value instanceof Collection<?> c && c.isEmpty())
                && !(value instanceof Map<?, ?> m && m.isEmpty());
    }

    @Test
    void coversBothPropertyGroups() throws Exception {
        assertThat(properties())
                .extracting(p -> p.get("name").asString())
                .anyMatch(n -> n.startsWith(SERVER))
                .anyMatch(n -> n.startsWith(CLIENT))
                .contains(SERVER + "session-check-interval", SERVER + "close-on-session-end");
    }

    @Test
    void describesEveryProperty() throws Exception {
        for (JsonNode p : properties()) {
            assertThat(p.path("description").asString(""))
                    .as(p.get("name").asString())
                    .isNotBlank();
        }
    }

    @Test
    void statesEveryDefaultAsItApplies() throws Exception {
        for (JsonNode p : properties()) {
            String name = p.get("name").asString();
            BeanWrapper wrapper = defaults(name);
            Object actual = wrapper.getPropertyValue(path(name));
            if (!hasDefault(actual)) {
                continue;
            }
            JsonNode stated = p.get("defaultValue");
            assertThat(stated).as("default of " + name).isNotNull();
            Object converted = ApplicationConversionService.getSharedInstance()
                    .convert(stated.isString() ? stated.asString() : stated.toString(), actual.getClass());
            assertThat(converted).as("default of " + name).isEqualTo(actual);
        }
    }

    @Test
    void hintsTheValuesOfEveryEnumeration() throws Exception {
        JsonNode hints = metadata().get("hints");
        for (JsonNode p : properties()) {
            String name = p.get("name").asString();
            Class<?> type = defaults(name).getPropertyType(path(name));
            if (type == null || !type.isEnum()) {
                continue;
            }
            List<String> hinted = new ArrayList<>();
            hints.forEach(h -> {
                if (h.get("name").asString().equals(name)) {
                    h.get("values").forEach(v -> hinted.add(v.get("value").asString()));
                }
            });
            assertThat(hinted)
                    .as("hints of " + name)
                    .containsExactlyInAnyOrderElementsOf(Arrays.stream(type.getEnumConstants())
                            .map(c -> ((Enum<?>) c).name().toLowerCase(Locale.ROOT))
                            .toList());
        }
    }
}
