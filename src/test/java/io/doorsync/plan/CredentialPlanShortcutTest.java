package io.doorsync.plan;

import static io.doorsync.plan.PlanFixture.CREDENTIAL_POLICY;
import static io.doorsync.plan.PlanFixture.CREDENTIAL_TYPES;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

/**
 * {@link CredentialPlanner#stepsFor} answers the converged lone credential without its general rule: generated
 * members and people, nearly all of them near that case, get the same steps and the same problems either way.
 */
class CredentialPlanShortcutTest {

    private static final String[] SLUGS = {"card", "pin", "mobile", "fob", "keycard", "", null};
    private static final String[] VALUES = {"40010001", "40010002", " 40010001 ", "", null, "x".repeat(300)};
    private static final long[] TYPES = {1, 2, 3, 4, 99};
    private static final String[] STATUSES = {null, "active", "revoking", "revoked"};

    @Test
    void theShortcutAgreesWithTheGeneralRule() {
        Random random = new Random(20261202);
        int converged = 0;
        for (int n = 0; n < 20_000; n++) {
            List<CrmCredential> rows = new ArrayList<>();
            for (int i = random.nextInt(10) < 8 ? 1 : random.nextInt(3); i > 0; i--) {
                rows.add(new CrmCredential("M1", pick(random, SLUGS), pick(random, VALUES)));
            }
            List<DoorFlowCredential> held = new ArrayList<>();
            if (rows.size() == 1 && random.nextBoolean()) { // near the converged case: the row's type, some value
                long type = CREDENTIAL_TYPES.stream().filter(t -> t.slug().equals(rows.get(0).typeSlug()))
                        .mapToLong(CredentialType::id).findFirst().orElse(99);
                String value = random.nextBoolean() && rows.get(0).value() != null ? rows.get(0).value().strip()
                        : pick(random, VALUES);
                held.add(new DoorFlowCredential("c1", 5, type, value, pick(random, STATUSES)));
            } else {
                for (int i = random.nextInt(10) < 8 ? 1 : random.nextInt(3); i > 0; i--) {
                    held.add(new DoorFlowCredential("c" + i, 5, TYPES[random.nextInt(TYPES.length)],
                            pick(random, VALUES), pick(random, STATUSES)));
                }
            }
            DoorFlowPerson person = new DoorFlowPerson(5, "crm:M1", "ada@example.com", "Ada", "Lovelace", null, null,
                    null, null, null, true, Set.of());
            PlanIndex index = new PlanIndex(new PlanInput(List.of(), List.of(), Map.of(), List.of(person), Set.of(),
                    "crm", LeavePolicy.DISABLE, new PlanInput.Credentials(rows, CREDENTIAL_TYPES, held,
                            CREDENTIAL_POLICY)));
            CredentialPlanner viaShortcut = new CredentialPlanner(index, CREDENTIAL_POLICY);
            CredentialPlanner general = new CredentialPlanner(index, CREDENTIAL_POLICY);

            CredentialPlanner.Steps expected = general.steps("M1", rows, held);
            CredentialPlanner.Steps actual = viaShortcut.stepsFor("M1", person);

            String story = "rows " + rows + ", held " + held;
            assertThat(actual.changes()).as(story).isEqualTo(expected.changes());
            assertThat(actual.complete()).as(story).isEqualTo(expected.complete());
            assertThat(viaShortcut.problems()).as(story).isEqualTo(general.problems());
            if (expected.changes().isEmpty() && expected.complete() && rows.size() == 1 && held.size() == 1) {
                converged++;
            }
        }
        assertThat(converged).as("generated cases with one credential already held").isGreaterThan(1000);
    }

    private static <T> T pick(Random random, T[] values) {
        return values[random.nextInt(values.length)];
    }
}
