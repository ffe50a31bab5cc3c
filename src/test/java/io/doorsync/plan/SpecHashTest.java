package io.doorsync.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/**
 * The applied hashes in every installation's person_link were made by joining the fields into one string; a
 * hash that came out different would make every member look changed and rewrite all of DoorFlow. So the
 * streamed hash must equal that construction, on generated specs (non-ASCII, empty, long and absent fields).
 */
class SpecHashTest {

    @Test
    void equalsTheJoinedStringConstructionOnGeneratedSpecs() throws Exception {
        Random random = new Random(20261202);
        for (int i = 0; i < 5_000; i++) {
            PersonSpec spec = new PersonSpec(text(random), text(random), text(random), text(random), text(random),
                    text(random), text(random), random.nextBoolean() ? null : Instant.ofEpochSecond(random.nextInt()),
                    random.nextBoolean() ? null : Instant.ofEpochSecond(random.nextInt()), random.nextBoolean(),
                    groups(random));
            List<String> credentials = new ArrayList<>();
            for (int n = random.nextInt(3); n > 0; n--) {
                credentials.add("card=" + text(random));
            }
            assertThat(SpecHash.of(spec, credentials)).as("spec %s, credentials %s", spec, credentials)
                    .isEqualTo(joined(spec, credentials));
        }
    }

    @Test
    void aKnownSpecKeepsItsHash() {
        PersonSpec spec = new PersonSpec("crm:M1", "ada@example.com", "Ada", "Lovelace", null, null, null, null, null,
                true, new TreeSet<>(List.of(101L, 102L)));
        assertThat(SpecHash.of(spec, List.of("card=40010001")))
                .isEqualTo("6a2d0f9362c4db73efbdd55b7f170e8c5c064145a5c48190214087d1503449ec");
    }

    /** How the hash was made before it was streamed. */
    private static String joined(PersonSpec spec, List<String> credentials) throws Exception {
        String canonical = String.join("\u001f", "v1", String.valueOf(spec.systemId()), String.valueOf(spec.email()),
                String.valueOf(spec.firstName()), String.valueOf(spec.lastName()), String.valueOf(spec.texts().get("telephone")),
                String.valueOf(spec.texts().get("department")), String.valueOf(spec.texts().get("job_title")), String.valueOf(spec.validFrom()),
                String.valueOf(spec.validTo()), String.valueOf(spec.enabled()),
                spec.groupIds().stream().map(String::valueOf).collect(Collectors.joining(",")));
        if (!credentials.isEmpty()) {
            canonical = canonical + "\u001f" + String.join("\u001e", credentials);
        }
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(canonical.getBytes(StandardCharsets.UTF_8)));
    }

    private static String text(Random random) {
        return switch (random.nextInt(6)) {
            case 0 -> null;
            case 1 -> "";
            case 2 -> "Zoë Ångström-Łukasz 日本 🚪";
            case 3 -> "x".repeat(random.nextInt(3_000)); // longer than the buffer
            default -> "name" + random.nextInt(1_000_000) + "@example.com";
        };
    }

    private static TreeSet<Long> groups(Random random) {
        TreeSet<Long> groups = new TreeSet<>();
        for (int n = random.nextInt(4); n > 0; n--) {
            groups.add((long) random.nextInt(100_000));
        }
        return groups;
    }
}
