package io.doorsync.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.doorsync.plan.Change.AdoptPerson;
import io.doorsync.plan.Change.CreatePerson;
import io.doorsync.plan.Change.DeletePerson;
import io.doorsync.plan.Change.DisablePerson;
import io.doorsync.plan.Change.Unlink;
import io.doorsync.plan.Change.UpdatePerson;

/**
 * The sync rules, one row each: given CRM rows, links and DoorFlow people, the plan rendered as lines.
 * A quarantine or team line matches when the actual line starts with the expected one.
 */
class PlannerTest {

    static final long HOT = 101;
    static final long OFFICE = 102;
    static final long LAB = 103;
    static final long UNMANAGED = 900;
    static final List<CrmTeam> TEAMS = List.of(
            new CrmTeam("hot", "Hot desk", HOT),
            new CrmTeam("office", "Private office", OFFICE),
            new CrmTeam("podcast", "Podcast studio", null));
    static final Set<Long> DOORFLOW_GROUPS = Set.of(HOT, OFFICE, LAB, UNMANAGED);
    static final long CARD = 1;
    static final long PIN = 2;
    static final long MOBILE = 3;
    static final long FOB = 4;
    static final List<CredentialType> CREDENTIAL_TYPES = List.of(new CredentialType(CARD, "card"),
            new CredentialType(PIN, "pin"), new CredentialType(MOBILE, "mobile"), new CredentialType(FOB, "fob"));
    static final CredentialPolicy CREDENTIAL_POLICY = new CredentialPolicy(Set.of("card", "pin", "mobile"),
            Set.of("pin"));

    record Row(String name, Given given, List<String> expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** A scenario: CRM members and teams, links, DoorFlow people, policy, prefix. */
    static final class Given {
        final List<CrmMember> members = new ArrayList<>();
        List<CrmTeam> teams = TEAMS;
        final Map<String, Link> links = new HashMap<>();
        final List<DoorFlowPerson> people = new ArrayList<>();
        Set<Long> groups = DOORFLOW_GROUPS;
        LeavePolicy policy = LeavePolicy.DISABLE;
        String prefix = "crm";
        final List<CrmCredential> wanted = new ArrayList<>();
        final List<DoorFlowCredential> held = new ArrayList<>();

        /** A member_credentials row. */
        Given wants(String memberId, String type, String value) {
            wanted.add(new CrmCredential(memberId, type, value));
            return this;
        }

        /** A credential DoorFlow holds. */
        Given holds(String id, long personId, long typeId, String value, String status) {
            held.add(new DoorFlowCredential(id, personId, typeId, value, status));
            return this;
        }

        Given member(CrmMember m) {
            members.add(m);
            return this;
        }

        Given person(DoorFlowPerson p) {
            people.add(p);
            return this;
        }

        Given link(String memberId, long personId, String hash, Long... owned) {
            links.put(memberId, new Link(memberId, personId, hash, Set.of(owned)));
            return this;
        }

        /** Links the member to the person with the hash of exactly what the planner would apply now. */
        Given applied(String memberId, long personId, Long... owned) {
            return link(memberId, personId, currentHash(this, memberId), owned);
        }

        Given policy(LeavePolicy p) {
            policy = p;
            return this;
        }

        Given teams(CrmTeam... t) {
            teams = List.of(t);
            return this;
        }

        Given prefix(String p) {
            prefix = p;
            return this;
        }

        PlanInput input() {
            return new PlanInput(members, teams, links, people, groups, prefix, policy,
                    new PlanInput.Credentials(wanted, CREDENTIAL_TYPES, held, CREDENTIAL_POLICY));
        }
    }

    static Given given() {
        return new Given();
    }

    static CrmMember member(String id, String email, String... teams) {
        return new CrmMember(id, email, "First" + id, "Last" + id, null, null, null, "active", null, null,
                new LinkedHashSet<>(Arrays.asList(teams)));
    }

    static CrmMember withStatus(CrmMember m, String status) {
        return new CrmMember(m.id(), m.email(), m.firstName(), m.lastName(), m.phone(), m.department(), m.jobTitle(),
                status, m.validFrom(), m.validTo(), m.teamIds());
    }

    static CrmMember named(CrmMember m, String first, String last) {
        return new CrmMember(m.id(), m.email(), first, last, m.phone(), m.department(), m.jobTitle(), m.status(),
                m.validFrom(), m.validTo(), m.teamIds());
    }

    static CrmMember withPhone(CrmMember m, String phone) {
        return new CrmMember(m.id(), m.email(), m.firstName(), m.lastName(), phone, m.department(), m.jobTitle(),
                m.status(), m.validFrom(), m.validTo(), m.teamIds());
    }

    static CrmMember valid(CrmMember m, String from, String to) {
        return new CrmMember(m.id(), m.email(), m.firstName(), m.lastName(), m.phone(), m.department(), m.jobTitle(),
                m.status(), from == null ? null : Instant.parse(from), to == null ? null : Instant.parse(to),
                m.teamIds());
    }

    static DoorFlowPerson person(long id, String systemId, String email, Long... groups) {
        return new DoorFlowPerson(id, systemId, email, "Hand", "Made", null, null, null, null, null, true,
                Set.of(groups));
    }

    /** A DoorFlow person exactly as doorsync would have made member {@code m}. */
    static DoorFlowPerson personOf(long id, CrmMember m, Long... groups) {
        return new DoorFlowPerson(id, "crm:" + m.id(), m.email(), m.firstName(), m.lastName(), m.phone(),
                m.department(), m.jobTitle(), m.validFrom(), m.validTo(), true, Set.of(groups));
    }

    static String currentHash(Given g, String memberId) {
        Given probe = new Given();
        probe.teams = g.teams;
        probe.prefix = g.prefix;
        g.members.stream().filter(m -> m.id().equals(memberId)).map(m -> withStatus(m, "active")).forEach(probe::member);
        g.wanted.stream().filter(c -> c.memberId().equals(memberId)).forEach(probe.wanted::add);
        Plan plan = Planner.plan(probe.input());
        return ((CreatePerson) plan.changes().get(0)).hash();
    }

    static final CrmMember ADA = member("M1", "ada@example.com", "hot");
    static final CrmMember BOB = member("M2", "bob@example.com", "office");

    static Stream<Row> rows() {
        return Stream.of(
                // ---- creating and adopting ----
                new Row("new member, nobody in DoorFlow: create with the team's group",
                        given().member(ADA),
                        List.of("create M1 crm:M1 [101]")),
                new Row("team mapped to no group: create with no groups",
                        given().member(member("M1", "ada@example.com", "podcast")),
                        List.of("create M1 crm:M1 []")),
                new Row("system_id prefix is configurable",
                        given().member(ADA).prefix("club"),
                        List.of("create M1 club:M1 [101]")),
                new Row("unowned person with the same email (other case): adopt, keep unmanaged groups",
                        given().member(ADA).person(person(5, null, "ADA@Example.COM", UNMANAGED)),
                        List.of("adopt M1 #5 crm:M1 [101, 900]")),
                new Row("adopting takes away managed groups the member's teams do not give",
                        given().member(ADA).person(person(5, "", "ada@example.com", OFFICE, UNMANAGED)),
                        List.of("adopt M1 #5 crm:M1 [101, 900]")),
                new Row("email owned by another system: conflict, quarantined, nothing written",
                        given().member(ADA).person(person(5, "hr:77", "ada@example.com")),
                        List.of("quarantine M1: email 'ada@example.com' is already used by DoorFlow person #5"
                                + " (system_id 'hr:77')")),
                new Row("email on a person doorsync manages for another member: conflict",
                        given().member(ADA).person(person(5, "crm:M9", "ada@example.com")),
                        List.of("quarantine M1: email 'ada@example.com' is already used by DoorFlow person #5"
                                + " (system_id 'crm:M9')", "disable M9 #5 []")),
                new Row("email matches two unowned people: conflict, merge first",
                        given().member(ADA).person(person(5, null, "ada@example.com"))
                                .person(person(6, null, "Ada@example.com")),
                        List.of("quarantine M1: email 'ada@example.com' matches several unmanaged")),
                new Row("email filter is partial in DoorFlow; only an exact (case-insensitive) match adopts",
                        given().member(ADA).person(person(5, null, "ada@example.com.au")),
                        List.of("create M1 crm:M1 [101]")),
                new Row("crash after create, before the link was saved: found by system_id, relinked, not duplicated",
                        given().member(ADA).person(personOf(5, ADA, HOT)),
                        List.of("update M1 #5 crm:M1 [101] ()")),
                new Row("linked person deleted by hand in DoorFlow: created again",
                        given().member(ADA).applied("M1", 5, HOT),
                        List.of("create M1 crm:M1 [101]")),
                new Row("link to a person whose system_id was changed by hand: that person is not touched",
                        given().member(ADA).applied("M1", 5, HOT).person(person(5, "hr:1", "ada@example.com", HOT)),
                        List.of("quarantine M1: email 'ada@example.com' is already used by DoorFlow person #5")),

                // ---- updating ----
                new Row("unchanged member: nothing, no API call",
                        given().member(ADA).applied("M1", 5, HOT).person(personOf(5, ADA, HOT, UNMANAGED)),
                        List.of("unchanged 1")),
                new Row("email changed in the CRM: update",
                        given().member(member("M1", "ada.l@example.com", "hot"))
                                .link("M1", 5, "old-hash", HOT).person(personOf(5, ADA, HOT)),
                        List.of("update M1 #5 crm:M1 [101] (email)")),
                new Row("names and phone changed: update those fields",
                        given().member(withPhone(named(ADA, "Augusta", "King"), "+44 20 7946 0000"))
                                .link("M1", 5, "old-hash", HOT).person(personOf(5, ADA, HOT)),
                        List.of("update M1 #5 crm:M1 [101] (first_name, last_name, telephone)")),
                new Row("valid_from / valid_to passed through",
                        given().member(valid(ADA, "2026-01-01T00:00:00Z", "2026-12-31T23:59:59Z"))
                                .link("M1", 5, "old-hash", HOT).person(personOf(5, ADA, HOT)),
                        List.of("update M1 #5 crm:M1 [101] (valid_from, valid_to)")),
                new Row("team change: (current − managed) ∪ desired, unmanaged groups preserved",
                        given().member(member("M1", "ada@example.com", "office"))
                                .link("M1", 5, "old-hash", HOT).person(personOf(5, ADA, HOT, UNMANAGED)),
                        List.of("update M1 #5 crm:M1 [102, 900] (groups)")),
                new Row("a group doorsync applied whose team is now unmapped is removed too",
                        given().member(ADA).link("M1", 5, "old-hash", HOT, LAB)
                                .person(personOf(5, ADA, HOT, LAB, UNMANAGED)),
                        List.of("update M1 #5 crm:M1 [101, 900] (groups)")),
                new Row("a group added by hand that doorsync does not manage stays",
                        given().member(ADA).link("M1", 5, "old-hash", HOT).person(personOf(5, ADA, HOT, LAB)),
                        List.of("update M1 #5 crm:M1 [101, 103] ()")),

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
                                .person(personOf(5, ADA, UNMANAGED)),
                        List.of("unchanged 1")),
                new Row("member row deleted from the CRM, policy disable",
                        given().link("M1", 5, "h", HOT).person(personOf(5, ADA, HOT, UNMANAGED)),
                        List.of("disable M1 #5 [900]")),
                new Row("member row deleted from the CRM, policy delete",
                        given().link("M1", 5, "h", HOT).person(personOf(5, ADA, HOT)).policy(LeavePolicy.DELETE),
                        List.of("delete M1 #5")),
                new Row("stamped person with no link and no CRM row (link lost): still revoked",
                        given().person(personOf(5, ADA, HOT)),
                        List.of("disable M1 #5 []")),
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
                        List.of("quarantine M1: email is missing")),

                // ---- bad team mapping ----
                new Row("team mapped to a group DoorFlow lacks: reported for the team, nobody stripped",
                        given().teams(new CrmTeam("hot", "Hot desk", 999L), new CrmTeam("office", "Office", OFFICE))
                                .member(member("M1", "ada@example.com", "hot", "office"))
                                .link("M1", 5, "old-hash", 999L).person(personOf(5, ADA, HOT, LAB)),
                        List.of("team hot: team 'Hot desk' is mapped to DoorFlow group 999, which does not exist",
                                "update M1 #5 crm:M1 [101, 102, 103] (groups)")),

                // ---- bad CRM input, isolated to the member ----
                new Row("email missing", given().member(member("M1", null, "hot")).member(BOB),
                        List.of("quarantine M1: email is missing", "create M2 crm:M2 [102]")),
                new Row("email invalid", given().member(member("M1", "not an email", "hot")),
                        List.of("quarantine M1: email 'not an email' is not a valid address")),
                new Row("names missing", given().member(named(ADA, " ", null)),
                        List.of("quarantine M1: first_name is missing; last_name is missing")),
                new Row("10 000-character field",
                        given().member(named(ADA, "A".repeat(10_000), "Lovelace")),
                        List.of("quarantine M1: first_name is 10000 characters long (at most 255)")),
                new Row("unknown team", given().member(member("M1", "ada@example.com", "hot", "ghosts")),
                        List.of("quarantine M1: belongs to team 'ghosts', which is not in teams")),
                new Row("valid_to before valid_from",
                        given().member(valid(ADA, "2026-06-01T00:00:00Z", "2026-01-01T00:00:00Z")),
                        List.of("quarantine M1: valid_to 2026-01-01T00:00:00Z is before valid_from")),
                new Row("duplicate email between two new members: both held",
                        given().member(ADA).member(member("M2", "Ada@Example.com ", "office")),
                        List.of("quarantine M1: email 'ada@example.com' is also the email of member(s) M2",
                                "quarantine M2: email 'Ada@Example.com' is also the email of member(s) M1")),
                new Row("duplicate email, one already linked: the linked one keeps syncing",
                        given().member(ADA).member(member("M2", "ada@example.com", "office"))
                                .applied("M1", 5, HOT).person(personOf(5, ADA, HOT)),
                        List.of("quarantine M2: email 'ada@example.com' is also the email of member(s) M1,"
                                + " who already has it", "unchanged 1")),
                new Row("duplicate member id rows", given().member(ADA).member(ADA),
                        List.of("quarantine M1: member id appears 2 times in members")),

                // ---- ordering ----
                new Row("revocations first, then updates, then creations",
                        given().member(member("M3", "cy@example.com", "hot"))
                                .member(member("M1", "ada.new@example.com", "hot")).link("M1", 5, "old", HOT)
                                .person(personOf(5, ADA, HOT))
                                .member(withStatus(BOB, "cancelled")).applied("M2", 6, OFFICE)
                                .person(personOf(6, BOB, OFFICE)),
                        List.of("disable M2 #6 []", "update M1 #5 crm:M1 [101] (email)", "create M3 crm:M3 [101]")),

                // ---- credentials ----
                new Row("new member with a card: created with the person, the CRM's value",
                        given().member(ADA).wants("M1", "card", "40010001"),
                        List.of("create M1 crm:M1 [101]", "  credential create card 40010001")),
                new Row("PIN with no value: DoorFlow generates it",
                        given().member(ADA).wants("M1", "pin", null),
                        List.of("create M1 crm:M1 [101]", "  credential create pin ******")),
                new Row("mobile credential: created without a value (DoorFlow sends the invitation)",
                        given().member(ADA).wants("M1", "mobile", null),
                        List.of("create M1 crm:M1 [101]", "  credential create mobile (none)")),
                new Row("card number changed in the CRM: PUT the new value, the person itself untouched",
                        given().member(ADA).wants("M1", "card", "40019999").link("M1", 5, "old-hash", HOT)
                                .person(personOf(5, ADA, HOT)).holds("c1", 5, CARD, "40010001", null),
                        List.of("update M1 #5 crm:M1 [101] ()", "  credential update card c1 40019999")),
                new Row("generated PIN is not regenerated when the member changes for another reason",
                        given().member(named(ADA, "Augusta", "King")).wants("M1", "pin", null)
                                .link("M1", 5, "old-hash", HOT).person(personOf(5, ADA, HOT))
                                .holds("c1", 5, PIN, "483920", null),
                        List.of("update M1 #5 crm:M1 [101] (first_name, last_name)")),
                new Row("unchanged credentials: nothing, no API call",
                        given().member(ADA).wants("M1", "pin", null).wants("M1", "card", "40010001")
                                .applied("M1", 5, HOT).person(personOf(5, ADA, HOT))
                                .holds("c1", 5, PIN, "483920", null).holds("c2", 5, CARD, "40010001", null),
                        List.of("unchanged 1")),
                new Row("credential removed in the CRM: deleted in DoorFlow",
                        given().member(ADA).link("M1", 5, "old-hash", HOT).person(personOf(5, ADA, HOT))
                                .holds("c1", 5, CARD, "40010001", null),
                        List.of("update M1 #5 crm:M1 [101] ()", "  credential delete card c1")),
                new Row("a credential of a type doorsync does not manage (front-desk fob) is left alone",
                        given().member(ADA).link("M1", 5, "old-hash", HOT).person(personOf(5, ADA, HOT))
                                .holds("f1", 5, FOB, "777", null),
                        List.of("update M1 #5 crm:M1 [101] ()")),
                new Row("a CRM row of a type doorsync does not manage: reported, ignored, member planned again",
                        given().member(ADA).wants("M1", "fob", "777").wants("M1", "card", "40010001"),
                        List.of("credential M1 fob: credential type 'fob' is not one doorsync manages",
                                "create M1 crm:M1 [101] incomplete", "  credential create card 40010001")),
                new Row("unknown credential type slug: an error for that credential, not the member or the run",
                        given().member(ADA).wants("M1", "keycard", "1").wants("M1", "pin", "1234").member(BOB),
                        List.of("credential M1 keycard: credential type 'keycard' does not exist in DoorFlow",
                                "create M1 crm:M1 [101] incomplete", "  credential create pin 1234",
                                "create M2 crm:M2 [102]")),
                new Row("two rows for one type: reported, and DoorFlow's credential of that type left alone",
                        given().member(ADA).wants("M1", "card", "1").wants("M1", "card", "2")
                                .link("M1", 5, "old-hash", HOT).person(personOf(5, ADA, HOT))
                                .holds("c1", 5, CARD, "40010001", null),
                        List.of("credential M1 card: 2 rows for credential type 'card'",
                                "update M1 #5 crm:M1 [101] () incomplete")),
                new Row("10 000-character credential value: reported for that credential",
                        given().member(ADA).wants("M1", "card", "9".repeat(10_000)),
                        List.of("credential M1 card: the value for credential type 'card' is 10000 characters long",
                                "create M1 crm:M1 [101] incomplete")),
                new Row("a member waiting on a credential problem with nothing else to do costs nothing",
                        given().member(ADA).wants("M1", "keycard", "1").link("M1", 5, SpecHash.INCOMPLETE, HOT)
                                .person(personOf(5, ADA, HOT)),
                        List.of("credential M1 keycard: credential type 'keycard' does not exist in DoorFlow",
                                "unchanged 1")),
                new Row("mobile still being revoked: the new one waits for the next run",
                        given().member(ADA).wants("M1", "mobile", null).link("M1", 5, "old-hash", HOT)
                                .person(personOf(5, ADA, HOT)).holds("m1", 5, MOBILE, null, "revoking"),
                        List.of("update M1 #5 crm:M1 [101] () incomplete")),
                new Row("mobile revoked: a new invitation",
                        given().member(ADA).wants("M1", "mobile", null).link("M1", 5, "old-hash", HOT)
                                .person(personOf(5, ADA, HOT)).holds("m1", 5, MOBILE, null, "revoked"),
                        List.of("update M1 #5 crm:M1 [101] ()", "  credential create mobile (none)")),
                new Row("deletions, then new values, then new credentials",
                        given().member(ADA).wants("M1", "card", "2").wants("M1", "mobile", null)
                                .link("M1", 5, "old-hash", HOT).person(personOf(5, ADA, HOT))
                                .holds("c1", 5, CARD, "1", null).holds("p1", 5, PIN, "1234", null),
                        List.of("update M1 #5 crm:M1 [101] ()", "  credential delete pin p1",
                                "  credential update card c1 2", "  credential create mobile (none)")),
                new Row("adopted person's hand-issued card of a managed type takes the CRM's value",
                        given().member(ADA).wants("M1", "card", "2").person(person(5, null, "ada@example.com"))
                                .holds("c1", 5, CARD, "1", null).holds("f1", 5, FOB, "777", null),
                        List.of("adopt M1 #5 crm:M1 [101]", "  credential update card c1 2")),
                new Row("leaving, policy disable: managed credentials deleted, hand-issued fob kept",
                        given().member(withStatus(ADA, "cancelled")).wants("M1", "card", "1").applied("M1", 5, HOT)
                                .person(personOf(5, ADA, HOT)).holds("c1", 5, CARD, "1", null)
                                .holds("m1", 5, MOBILE, null, "active").holds("f1", 5, FOB, "777", null),
                        List.of("disable M1 #5 []", "  credential delete card c1", "  credential delete mobile m1")),
                new Row("leaving, policy delete: credentials deleted before the person",
                        given().member(withStatus(ADA, "cancelled")).applied("M1", 5, HOT).policy(LeavePolicy.DELETE)
                                .person(personOf(5, ADA, HOT)).holds("c1", 5, CARD, "1", null),
                        List.of("delete M1 #5", "  credential delete card c1")),
                new Row("leaving, policy keep: credentials stay",
                        given().member(withStatus(ADA, "cancelled")).applied("M1", 5, HOT).policy(LeavePolicy.KEEP)
                                .person(personOf(5, ADA, HOT)).holds("c1", 5, CARD, "1", null),
                        List.of("unchanged 1")),
                new Row("leaving: a mobile credential already being revoked is not revoked again",
                        given().link("M1", 5, "h", HOT).person(personOf(5, ADA, HOT))
                                .holds("m1", 5, MOBILE, null, "revoking"),
                        List.of("disable M1 #5 []")),
                new Row("quarantined member: its credentials are not touched either",
                        given().member(member("M1", null, "hot")).wants("M1", "card", "2").link("M1", 5, "h", HOT)
                                .person(personOf(5, ADA, HOT)).holds("c1", 5, CARD, "1", null),
                        List.of("quarantine M1: email is missing")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void plans(Row row) {
        List<String> actual = render(Planner.plan(row.given().input()));
        assertThat(actual).as(row.name()).hasSize(row.expected().size());
        for (int i = 0; i < actual.size(); i++) {
            assertThat(actual.get(i)).as(row.name() + " line " + i).startsWith(row.expected().get(i));
        }
    }

    @Test
    void anUnchangedMemberHashesTheSameAndAnyFieldChangeChangesTheHash() {
        Given g = given().member(ADA);
        String before = currentHash(g, "M1");
        assertThat(currentHash(given().member(ADA), "M1")).isEqualTo(before);
        for (CrmMember changed : List.of(member("M1", "ada2@example.com", "hot"), named(ADA, "Ada", "King"),
                withPhone(ADA, "1"), valid(ADA, "2026-01-01T00:00:00Z", null), member("M1", "ada@example.com"))) {
            assertThat(currentHash(given().member(changed), "M1")).as(changed.toString()).isNotEqualTo(before);
        }
    }

    @Test
    void credentialValuesArePartOfTheHash() {
        String card1 = currentHash(given().member(ADA).wants("M1", "card", "1"), "M1");
        assertThat(currentHash(given().member(ADA).wants("M1", "card", "1"), "M1")).isEqualTo(card1);
        assertThat(currentHash(given().member(ADA).wants("M1", "card", "2"), "M1")).isNotEqualTo(card1);
        assertThat(currentHash(given().member(ADA), "M1")).as("without credentials, the hash of the person alone")
                .isEqualTo(SpecHash.of(((CreatePerson) Planner.plan(given().member(ADA).input()).changes().get(0))
                        .spec(), List.of()));
    }

    @Test
    void credentialValuesNeverShowInTextThatCanReachALog() {
        Plan plan = Planner.plan(given().member(ADA).wants("M1", "card", "40010001").wants("M1", "pin", "9876")
                .input());
        assertThat(plan.toString()).doesNotContain("40010001").doesNotContain("9876");
        assertThat(new CrmCredential("M1", "card", "40010001").toString()).doesNotContain("40010001");
        assertThat(new DoorFlowCredential("c1", 5, CARD, "40010001", null).toString()).doesNotContain("40010001");
    }

    @Test
    void createCarriesEveryManagedField() {
        CrmMember full = new CrmMember("M7", " Grace@Example.com ", " Grace ", "Hopper", " +1 555 0100 ", "Navy",
                "Rear admiral", "active", Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2027-01-01T00:00:00Z"),
                Set.of("hot"));
        CreatePerson create = (CreatePerson) Planner.plan(given().member(full).input()).changes().get(0);
        assertThat(create.spec()).isEqualTo(new PersonSpec("crm:M7", "Grace@Example.com", "Grace", "Hopper",
                "+1 555 0100", "Navy", "Rear admiral", Instant.parse("2026-01-01T00:00:00Z"),
                Instant.parse("2027-01-01T00:00:00Z"), true, new java.util.TreeSet<>(Set.of(HOT))));
    }

    private static String incomplete(String hash) {
        return SpecHash.INCOMPLETE.equals(hash) ? " incomplete" : "";
    }

    static List<String> render(Plan plan) {
        List<String> lines = new ArrayList<>();
        plan.teamProblems().forEach(t -> lines.add("team " + t.teamId() + ": " + t.reason()));
        plan.quarantined().forEach(q -> lines.add("quarantine " + q.memberId() + ": " + q.reason()));
        plan.credentialProblems().forEach(p -> lines.add("credential " + p.memberId() + " " + p.typeSlug() + ": "
                + p.reason()));
        for (Change c : plan.changes()) {
            if (c instanceof CreatePerson x) {
                lines.add("create " + x.memberId() + " " + x.spec().systemId() + " " + x.spec().groupIds()
                        + incomplete(x.hash()));
            } else if (c instanceof AdoptPerson x) {
                lines.add("adopt " + x.memberId() + " #" + x.personId() + " " + x.spec().systemId() + " "
                        + x.spec().groupIds() + incomplete(x.hash()));
            } else if (c instanceof UpdatePerson x) {
                lines.add("update " + x.memberId() + " #" + x.personId() + " " + x.spec().systemId() + " "
                        + x.spec().groupIds() + " (" + String.join(", ", x.changedFields()) + ")"
                        + incomplete(x.hash()));
            } else if (c instanceof DisablePerson x) {
                lines.add("disable " + x.memberId() + " #" + x.personId() + " " + x.remainingGroups());
            } else if (c instanceof DeletePerson x) {
                lines.add("delete " + x.memberId() + " #" + x.personId());
            } else if (c instanceof Unlink x) {
                lines.add("unlink " + x.memberId() + " #" + x.personId());
            }
            for (CredentialChange step : c.credentials()) {
                if (step instanceof CredentialChange.Create x) {
                    lines.add("  credential create " + x.typeSlug() + " " + (x.value() == null ? "(none)" : x.value()));
                } else if (step instanceof CredentialChange.Update x) {
                    lines.add("  credential update " + x.typeSlug() + " " + x.credentialId() + " " + x.value());
                } else if (step instanceof CredentialChange.Delete x) {
                    lines.add("  credential delete " + x.typeSlug() + " " + x.credentialId());
                }
            }
        }
        if (plan.unchanged() > 0) {
            lines.add("unchanged " + plan.unchanged());
        }
        return lines;
    }
}
