package io.doorsync.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

/**
 * The contract tests use a copy of DoorFlow's openapi.yaml. It must stay DoorFlow's text, unedited: its digest
 * is pinned here (update it only together with a new copy of shared/doorflow/openapi.yaml), and where the
 * shared folder is checked out beside the project, the copy must be byte for byte the shared one.
 */
class VendoredSpecTest {

    static final String PINNED_SHA256 = "82100525d92d44133ce8c3316cabec00ec78d21e5ac1a6a6bd6da43a891fb622";

    @Test
    void vendoredOpenApiIsDoorFlowsUneditedDescription() throws Exception {
        byte[] vendored;
        try (InputStream in = getClass().getResourceAsStream("/doorflow/openapi.yaml")) {
            vendored = in.readAllBytes();
        }
        assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(vendored)))
                .as("digest of src/test/resources/doorflow/openapi.yaml").isEqualTo(PINNED_SHA256);
        Path shared = Path.of("..", "shared", "doorflow", "openapi.yaml");
        if (Files.exists(shared)) {
            assertThat(vendored).as("the copy is the shared one").isEqualTo(read(shared));
        }
    }

    private static byte[] read(Path path) throws IOException {
        return Files.readAllBytes(path);
    }
}
