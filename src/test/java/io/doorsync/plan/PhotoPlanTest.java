package io.doorsync.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.doorsync.plan.PhotoPlanner.Applied;

/** The photo rules, one row each: member M1 linked to person #5 unless a row says otherwise. */
class PhotoPlanTest {

    record Row(String name, String want, Applied applied, Long linkedTo, boolean writable, String expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Row> rows() {
        return Stream.of(
                new Row("a new photo is uploaded", "sha256:a", null, 5L, true, "set M1 #5 sha256:a"),
                new Row("the photo applied already: nothing", "sha256:a", new Applied(5, "sha256:a", false), 5L, true,
                        ""),
                new Row("a changed photo is uploaded again", "sha256:b", new Applied(5, "sha256:a", false), 5L, true,
                        "set M1 #5 sha256:b"),
                new Row("a URL set again (its updated_at moved) is fetched again", "url:https://x/p.jpg@2",
                        new Applied(5, "url:https://x/p.jpg@1", false), 5L, true, "set M1 #5 url:https://x/p.jpg@2"),
                new Row("removed in the CRM: the photo doorsync set is removed", null,
                        new Applied(5, "sha256:a", false), 5L, true, "remove M1 #5"),
                new Row("no photo, none set: nothing (a hand-set photo is not doorsync's)", null, null, 5L, true, ""),
                new Row("rejected before, unchanged: not tried again", "sha256:a", new Applied(5, "sha256:a", true), 5L,
                        true, ""),
                new Row("rejected before, changed: tried", "sha256:b", new Applied(5, "sha256:a", true), 5L, true,
                        "set M1 #5 sha256:b"),
                new Row("rejected before, then removed: nothing to remove", null, new Applied(5, "sha256:a", true), 5L,
                        true, ""),
                new Row("applied to another person (re-created since): the new one gets it", "sha256:a",
                        new Applied(4, "sha256:a", false), 5L, true, "set M1 #5 sha256:a"),
                new Row("not linked yet: waits for its person", "sha256:a", null, null, true, ""),
                new Row("not writable (leaving or quarantined): nothing", "sha256:a", null, 5L, false, ""),
                new Row("not writable, photo removed: left as it is", null, new Applied(5, "sha256:a", false), 5L,
                        false, ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void plans(Row row) {
        Map<String, String> desired = new HashMap<>();
        if (row.want() != null) {
            desired.put("M1", row.want());
        }
        Map<String, Link> links = row.linkedTo() == null ? Map.of()
                : Map.of("M1", new Link("M1", row.linkedTo(), "h", Set.of()));
        Map<String, Applied> applied = row.applied() == null ? Map.of() : Map.of("M1", row.applied());
        List<String> lines = PhotoPlanner.plan(desired, links, applied, row.writable() ? Set.of("M1") : Set.of())
                .stream().map(c -> c.removes() ? "remove " + c.memberId() + " #" + c.personId()
                        : "set " + c.memberId() + " #" + c.personId() + " " + c.key())
                .toList();
        assertThat(lines).as(row.name()).containsExactlyElementsOf(row.expected().isEmpty() ? List.of()
                : List.of(row.expected()));
    }

    @Test
    void onlyActiveMembersThePlanDoesNotHoldBackAreWritable() {
        CrmMember active = PlanFixture.member("M1", "ada@example.com", "hot");
        CrmMember gone = PlanFixture.withStatus(PlanFixture.member("M2", "bob@example.com", "hot"), "cancelled");
        CrmMember held = PlanFixture.member("M3", "cy@example.com", "hot");
        Plan plan = new Plan(List.of(), List.of(new Plan.Quarantine("M3", "email taken")), List.of(), List.of(),
                List.of(), Plan.AccessRemoval.NONE, 0);
        assertThat(PhotoPlanner.writable(List.of(active, gone, held), plan)).containsExactly("M1");
    }
}
