package io.doorsync.plan;

import static io.doorsync.plan.PlanFixture.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.doorsync.plan.PlanFixture.Row;

/** The leaving rules, one row each: every leave policy, gone rows, people deleted by hand. */
class LeaverPlanTest {

    static Stream<Row> rows() {
        return Stream.of(
                // ---- leaving ----
                new Row("suspended, policy disable: enabled=false, only unmanaged groups kept",
                        given().member(withStatus(ADA, "suspended")).applied("M1", 5, HOT)
                                .person(personOf(5, ADA, HOT, UNMANAGED)),
                        List.of("disable M1 #5 [900]")),
                new Row("cancelled, policy delete: soft delete",
                        given().member(withStatus(ADA, "cancelled")).applied("M1", 5, HOT)
                                .person(personOf(5, ADA, HOT)).policy(LeavePolicy.DELETE),
                        List.of("delete M1 #5")),
                new Row("cancelled, policy keep: left exactly as it is",
                        given().member(withStatus(ADA, "cancelled")).applied("M1", 5, HOT)
                                .person(personOf(5, ADA, HOT)).policy(LeavePolicy.KEEP),
                        List.of("unchanged 1")),
                new Row("unknown status counts as not active: access removed",
                        given().member(withStatus(ADA, "paused")).applied("M1", 5, HOT).person(personOf(5, ADA, HOT)),
                        List.of("disable M1 #5 []")),
                new Row("already disabled: nothing",
                        given().member(withStatus(ADA, "cancelled")).link("M1", 5, SpecHash.DISABLED)
                                .person(disabled(personOf(5, ADA, UNMANAGED))),
                        List.of("unchanged 1")),
                // ---- a leaver given access back by hand: disabled again ----
                new Row("leaver re-enabled by hand: disabled again",
                        given().member(withStatus(ADA, "cancelled")).link("M1", 5, SpecHash.DISABLED)
                                .person(personOf(5, ADA, UNMANAGED)),
                        List.of("disable M1 #5 [900] drift(enabled)")),
                new Row("leaver given a managed group by hand: it is taken again, unmanaged ones stay",
                        given().member(withStatus(ADA, "cancelled")).link("M1", 5, SpecHash.DISABLED)
                                .person(disabled(personOf(5, ADA, HOT, UNMANAGED))),
                        List.of("disable M1 #5 [900] drift(groups)")),
                new Row("leaver given a card by hand: it is deleted again, a hand-issued fob stays",
                        given().member(withStatus(ADA, "cancelled")).link("M1", 5, SpecHash.DISABLED)
                                .person(disabled(personOf(5, ADA))).holds("c9", 5, CARD, "77", null)
                                .holds("f1", 5, FOB, "55", null),
                        List.of("disable M1 #5 [] drift(credentials)", "  credential delete card c9")),
                new Row("leaver re-enabled and back in a managed group: both named",
                        given().member(withStatus(ADA, "cancelled")).link("M1", 5, SpecHash.DISABLED)
                                .person(personOf(5, ADA, OFFICE)),
                        List.of("disable M1 #5 [] drift(enabled, groups)")),
                new Row("leaver under keep: hand edits are not doorsync's business",
                        given().member(withStatus(ADA, "cancelled")).policy(LeavePolicy.KEEP)
                                .link("M1", 5, SpecHash.DISABLED).person(personOf(5, ADA, HOT)),
                        List.of("unchanged 1")),
                new Row("member row deleted from the CRM, policy disable",
                        given().link("M1", 5, "h", HOT).person(personOf(5, ADA, HOT, UNMANAGED)),
                        List.of("disable M1 #5 [900]")),
                new Row("member row deleted from the CRM, policy delete",
                        given().link("M1", 5, "h", HOT).person(personOf(5, ADA, HOT)).policy(LeavePolicy.DELETE),
                        List.of("delete M1 #5")),
                new Row("created, crashed before the link was saved, and the CRM row deleted since: revoked",
                        given().person(personOf(5, ADA, HOT)).creating("M1"),
                        List.of("disable M1 #5 []")),
                new Row("a marked person this installation never created nor linked: another installation's, untouched",
                        given().person(personOf(5, ADA, HOT)),
                        List.of()),
                new Row("member gone and its person gone too: link forgotten, no API call",
                        given().link("M1", 5, "h", HOT),
                        List.of("unlink M1 #5")),
                new Row("inactive member never synced: nothing created",
                        given().member(withStatus(ADA, "suspended")),
                        List.of()),
                new Row("people doorsync does not own are never touched",
                        given().person(person(5, null, "walk-in@example.com", HOT))
                                .person(person(6, "hr:1", "staff@example.com", OFFICE)),
                        List.of()),
                new Row("quarantined member with a link is not treated as gone",
                        given().member(member("M1", null, "hot")).link("M1", 5, "h", HOT).person(personOf(5, ADA, HOT)),
                        List.of("quarantine M1: email is missing")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void plans(Row row) {
        assertPlans(row);
    }
}
