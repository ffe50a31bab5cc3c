package io.doorsync.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.doorsync.plan.Change.AdoptPerson;
import io.doorsync.plan.Change.CreatePerson;
import io.doorsync.plan.Change.DeletePerson;
import io.doorsync.plan.Change.DisablePerson;
import io.doorsync.plan.Change.Unlink;
import io.doorsync.plan.Change.UpdatePerson;
import io.doorsync.support.CrmRows;

/**
 * The shared builder of the planner's table tests: given CRM rows, links and DoorFlow people, the plan
 * rendered as lines. A quarantine or team line matches when the actual line starts with the expected one.
 */
final class PlanFixture {

    private PlanFixture() {
    }


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
        final Map<String, Long> approved = new HashMap<>();
        final Set<String> inFlight = new java.util.HashSet<>();

        /** doorsync started creating the member's person and crashed before saving the link. */
        Given creating(String memberId) {
            inFlight.add(memberId);
            return this;
        }

        /** An operator approved that the member adopts this DoorFlow person. */
        Given approve(String memberId, long personId) {
            approved.put(memberId, personId);
            return this;
        }

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

        /** The member's row replaced by {@code m} (after {@link #applied}: the CRM changed since). */
        Given also(CrmMember m) {
            members.removeIf(other -> other.id().equals(m.id()));
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

        /** The link remembers {@code repairs} repairs of {@code field}, last finding DoorFlow at {@code person}'s value. */
        Given repaired(String memberId, String field, int repairs, DoorFlowPerson person) {
            Link l = links.get(memberId);
            Map<String, DriftMemory> drift = new HashMap<>(l.drift());
            drift.put(field, new DriftMemory(repairs, PersonDiff.fingerprint(person, field, List.of())));
            links.put(memberId, new Link(l.memberId(), l.personId(), l.appliedHash(), l.appliedGroups(), drift));
            return this;
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
                    new PlanInput.Credentials(wanted, CREDENTIAL_TYPES, held, CREDENTIAL_POLICY),
                    PlanInput.DEFAULT_DRIFT_REPAIR_LIMIT, approved, inFlight);
        }
    }

    static Given given() {
        return new Given();
    }

    static CrmMember member(String id, String email, String... teams) {
        return CrmRows.member(id, email, teams).record();
    }

    static CrmMember withStatus(CrmMember m, String status) {
        return new CrmMember(m.id(), m.texts(), status, m.validFrom(), m.validTo(), m.teamIds());
    }

    static CrmMember named(CrmMember m, String first, String last) {
        return new CrmMember(m.id(), m.texts().with("first_name", first).with("last_name", last), m.status(),
                m.validFrom(), m.validTo(), m.teamIds());
    }

    static CrmMember withPhone(CrmMember m, String phone) {
        return new CrmMember(m.id(), m.texts().with("telephone", phone), m.status(), m.validFrom(), m.validTo(),
                m.teamIds());
    }

    static CrmMember valid(CrmMember m, String from, String to) {
        return new CrmMember(m.id(), m.texts(), m.status(), from == null ? null : Instant.parse(from),
                to == null ? null : Instant.parse(to), m.teamIds());
    }

    static DoorFlowPerson person(long id, String systemId, String email, Long... groups) {
        return new DoorFlowPerson(id, systemId, email, "Hand", "Made", null, null, null, null, null, true,
                Set.of(groups));
    }

    /**
     * A person nobody manages, made by hand with member {@code m}'s names (written in another case and with
     * blanks, as people type) and the given email.
     */
    static DoorFlowPerson unowned(long id, CrmMember m, String email, Long... groups) {
        return new DoorFlowPerson(id, null, email, " " + m.firstName().toLowerCase(), m.lastName().toUpperCase() + " ",
                null, null, null, null, null, true, Set.of(groups));
    }

    /** The same person, disabled in DoorFlow. */
    static DoorFlowPerson disabled(DoorFlowPerson p) {
        return new DoorFlowPerson(p.id(), p.systemId(), p.texts(), p.validFrom(), p.validTo(), false, p.groupIds());
    }

    /** The same person with other names (a hand edit in DoorFlow). */
    static DoorFlowPerson renamed(DoorFlowPerson p, String first, String last) {
        return new DoorFlowPerson(p.id(), p.systemId(), p.texts().with("first_name", first).with("last_name", last),
                p.validFrom(), p.validTo(), p.enabled(), p.groupIds());
    }

    /** The same person with another email as DoorFlow lists it. */
    static DoorFlowPerson withEmail(DoorFlowPerson p, String email) {
        return new DoorFlowPerson(p.id(), p.systemId(), p.texts().with("email", email), p.validFrom(), p.validTo(),
                p.enabled(), p.groupIds());
    }

    /** A DoorFlow person exactly as doorsync would have made member {@code m}. */
    static DoorFlowPerson personOf(long id, CrmMember m, Long... groups) {
        return new DoorFlowPerson(id, "crm:" + m.id(), m.texts(), m.validFrom(), m.validTo(), true, Set.of(groups));
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

    /** Plans the row's scenario and compares the rendered lines. */
    static void assertPlans(Row row) {
        List<String> actual = render(Planner.plan(row.given().input()));
        assertThat(actual).as(row.name()).hasSize(row.expected().size());
        for (int i = 0; i < actual.size(); i++) {
            assertThat(actual.get(i)).as(row.name() + " line " + i).startsWith(row.expected().get(i));
        }
    }

    static String drift(Change c) {
        return c.driftFields().isEmpty() ? "" : " drift(" + String.join(", ", c.driftFields()) + ")";
    }

    static String incomplete(String hash) {
        return SpecHash.INCOMPLETE.equals(hash) ? " incomplete" : "";
    }

    static List<String> render(Plan plan) {
        List<String> lines = new ArrayList<>();
        plan.teamProblems().forEach(t -> lines.add("team " + t.teamId() + ": " + t.reason()));
        plan.quarantined().forEach(q -> lines.add("quarantine " + q.memberId() + ": " + q.reason()));
        plan.credentialProblems().forEach(p -> lines.add("credential " + p.memberId() + " " + p.typeSlug() + ": "
                + p.reason()));
        plan.driftProblems().forEach(p -> lines.add("drift " + p.memberId() + " " + p.field() + ": " + p.reason()));
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
                        + incomplete(x.hash()) + drift(x));
            } else if (c instanceof DisablePerson x) {
                lines.add("disable " + x.memberId() + " #" + x.personId() + " " + x.remainingGroups() + drift(x));
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
