package io.doorsync.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/** The contract tests use a copy of DoorFlow's openapi.yaml; it must be the one in shared/ where that exists. */
class VendoredSpecTest {

    @Test
    void vendoredOpenApiIsTheSharedOne() throws IOException {
        Path shared = Path.of("..", "shared", "doorflow", "openapi.yaml");
        assumeTrue(Files.exists(shared), "no shared/ checkout beside the project");
        try (InputStream vendored = getClass().getResourceAsStream("/doorflow/openapi.yaml")) {
            assertThat(vendored.readAllBytes()).isEqualTo(Files.readAllBytes(shared));
        }
    }
}
