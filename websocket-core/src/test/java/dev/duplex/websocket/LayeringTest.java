package dev.duplex.websocket;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The package layering DESIGN.md fixes: the wire format apart from I/O apart from the user API. */
class LayeringTest {

    private static final JavaClasses CORE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.duplex.websocket");

    @Test
    void codecDependsOnNothingButTheApi() {
        noClasses()
                .that()
                .resideInAPackage("..websocket.codec..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "..websocket.handshake..",
                        "..websocket.transport..",
                        "..websocket.client..",
                        "..websocket.server..")
                .check(CORE);
    }

    @Test
    void handshakeDependsOnNothingButTheApi() {
        noClasses()
                .that()
                .resideInAPackage("..websocket.handshake..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "..websocket.codec..",
                        "..websocket.transport..",
                        "..websocket.client..",
                        "..websocket.server..")
                .check(CORE);
    }

    @Test
    void apiDependsOnNoImplementationPackage() {
        noClasses()
                .that()
                .resideInAPackage("dev.duplex.websocket")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "..websocket.codec..",
                        "..websocket.handshake..",
                        "..websocket.transport..",
                        "..websocket.client..",
                        "..websocket.server..")
                .check(CORE);
    }

    @Test
    void transportKnowsNeitherClientNorServer() {
        noClasses()
                .that()
                .resideInAPackage("..websocket.transport..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("..websocket.client..", "..websocket.server..")
                .check(CORE);
    }

    @Test
    void clientAndServerStayApart() {
        noClasses()
                .that()
                .resideInAPackage("..websocket.client..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("..websocket.server..")
                .check(CORE);
    }
}
