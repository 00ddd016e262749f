package dev.duplex.websocket.handshake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PathTemplateTest {

    @Test
    void matchesAVariableSegment() {
        PathTemplate t = PathTemplate.compile("/chat/{room}");

        assertThat(t.match("/chat/lobby")).containsExactly(entry("room", "lobby"));
        assertThat(t.variableNames()).containsExactly("room");
        assertThat(t.isLiteral()).isFalse();
    }

    @Test
    void matchesSeveralVariablesInTemplateOrder() {
        assertThat(PathTemplate.compile("/a/{x}/b/{y}").match("/a/1/b/2"))
                .containsExactly(entry("x", "1"), entry("y", "2"));
    }

    @Test
    void decodesEachSegmentAndNeverMatchesAcrossASlash() {
        PathTemplate t = PathTemplate.compile("/chat/{room}");

        assertThat(t.match("/chat/caf%C3%A9%20bar")).containsExactly(entry("room", "caf\u00e9 bar"));
        assertThat(t.match("/chat/a%2Fb")).containsExactly(entry("room", "a/b"));
        assertThat(t.match("/chat/a/b")).isNull();
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource({
        "/chat/{room}, /chat",
        "/chat/{room}, /chat/",
        "/chat/{room}, /chat/a/",
        "/chat/{room}, /Chat/a",
        "/chat/{room}, chat/a",
        "/chat/{room}, /chat/%zz",
        "/chat/{room}, /chat/%C3",
        "/chat, /chat/",
        "/chat/, /chat",
        "/, //",
        "/files/{name}.{ext}, /files/readme",
    })
    void doesNotMatch(String template, String path) {
        assertThat(PathTemplate.compile(template).match(path)).isNull();
        assertThat(PathTemplate.compile(template).matches(path)).isFalse();
    }

    @Test
    void matchesLiteralPathsExactly() {
        assertThat(PathTemplate.compile("/").match("/")).isEmpty();
        assertThat(PathTemplate.compile("/echo").match("/echo")).isEmpty();
        assertThat(PathTemplate.compile("/caf%C3%A9").match("/caf%c3%a9")).isEmpty();
        assertThat(PathTemplate.compile("/a%20b").match("/a b")).isEmpty();
    }

    @Test
    void matchesVariablesMixedWithLiteralText() {
        assertThat(PathTemplate.compile("/files/{name}.{ext}").match("/files/archive.tar.gz"))
                .containsExactly(entry("name", "archive.tar"), entry("ext", "gz"));
        assertThat(PathTemplate.compile("/v{version}/x").match("/v2/x")).containsExactly(entry("version", "2"));
    }

    @Test
    void treatsRegexCharactersAsLiterals() {
        PathTemplate t = PathTemplate.compile("/a.b/{x}+");

        assertThat(t.match("/a.b/1+")).containsExactly(entry("x", "1"));
        assertThat(t.match("/axb/1+")).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '"',
            value = {
                "chat/{room}     | 'template' must start with '/', was \"chat/{room}\"",
                "\"\"            | 'template' must start with '/', was \"\"",
                "/chat/{}        | 'template' has an empty variable name at index 6, was \"/chat/{}\"",
                "/a/{x}/b/{x}    | 'template' repeats the variable {x}, was \"/a/{x}/b/{x}\"",
                "/chat/{room     | 'template' has an unbalanced '{' at index 6, was \"/chat/{room\"",
                "/chat/room}     | 'template' has an unbalanced '}' at index 10, was \"/chat/room}\"",
                "/chat/{a{b}}    | 'template' has an unbalanced '{' at index 6, was \"/chat/{a{b}}\"",
                "/chat/{a/b}     | 'template' has an unbalanced '{' at index 6, was \"/chat/{a/b}\"",
                "/chat/{a-b}     | 'template' has an invalid variable name {a-b}, was \"/chat/{a-b}\"",
                "/chat?x={x}     | 'template' must be a path without query or fragment, was \"/chat?x={x}\"",
                "/a%zz           | 'template' has a malformed percent escape in \"a%zz\", was \"/a%zz\"",
            })
    void refusesInvalidTemplates(String template, String message) {
        assertThatThrownBy(() -> PathTemplate.compile(template))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @Test
    void ordersLiteralPathsBeforeTemplatesAndFewerVariablesFirst() {
        List<PathTemplate> templates = new ArrayList<>(List.of(
                PathTemplate.compile("/{a}/{b}"),
                PathTemplate.compile("/chat/{room}"),
                PathTemplate.compile("/{any}/lobby"),
                PathTemplate.compile("/chat/lobby"),
                PathTemplate.compile("/{x}")));

        templates.sort(PathTemplate.SPECIFICITY);

        assertThat(templates)
                .extracting(PathTemplate::template)
                .containsExactly("/chat/lobby", "/chat/{room}", "/{any}/lobby", "/{x}", "/{a}/{b}");
    }

    @Test
    void letsARouterPickTheMostSpecificMatch() {
        List<PathTemplate> routes = new ArrayList<>(List.of(
                PathTemplate.compile("/chat/{room}"),
                PathTemplate.compile("/chat/admin"),
                PathTemplate.compile("/{x}/{y}")));
        routes.sort(PathTemplate.SPECIFICITY);

        assertThat(firstMatch(routes, "/chat/admin")).isEqualTo("/chat/admin");
        assertThat(firstMatch(routes, "/chat/lobby")).isEqualTo("/chat/{room}");
        assertThat(firstMatch(routes, "/news/today")).isEqualTo("/{x}/{y}");
    }

    private static String firstMatch(List<PathTemplate> routes, String path) {
        for (PathTemplate t : routes) {
            Map<String, String> vars = t.match(path);
            if (vars != null) {
                return t.template();
            }
        }
        return "none";
    }

    @Test
    void isEqualByTemplateText() {
        assertThat(PathTemplate.compile("/a/{x}")).isEqualTo(PathTemplate.compile("/a/{x}"));
        assertThat(PathTemplate.compile("/a/{x}")).isNotEqualTo(PathTemplate.compile("/a/{y}"));
        assertThat(PathTemplate.compile("/a/{x}")).hasToString("/a/{x}");
    }
}
