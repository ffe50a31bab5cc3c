package io.doorsync.explain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import io.doorsync.Account;
import io.doorsync.DoorsyncConfig;
import io.doorsync.crm.CrmReader.CrmSnapshot;
import io.doorsync.crm.CrmReader;
import io.doorsync.crm.CrmReaders;
import io.doorsync.doorflow.DoorFlowGateway.Snapshot;
import io.doorsync.doorflow.DoorFlowGateway;
import io.doorsync.doorflow.DoorFlowGateways;
import io.doorsync.doorflow.DoorFlowMirror;
import io.doorsync.doorflow.DoorFlowMirrors;
import io.doorsync.explain.MemberExplanation.CredentialView;
import io.doorsync.explain.MemberExplanation.CrmView;
import io.doorsync.explain.MemberExplanation.GroupView;
import io.doorsync.explain.MemberExplanation.NextChange;
import io.doorsync.explain.MemberExplanation.PersonView;
import io.doorsync.explain.MemberExplanation.TeamView;
import io.doorsync.store.RunStore;
import io.doorsync.store.QuarantineStore;
import io.doorsync.plan.CrmMember;
import io.doorsync.plan.CrmTeam;
import io.doorsync.plan.DoorFlowCredential;
import io.doorsync.plan.DoorFlowPerson;
import io.doorsync.plan.Link;
import io.doorsync.plan.PhotoPlanner;
import io.doorsync.plan.Plan;
import io.doorsync.plan.Planner;
import io.doorsync.run.PlanInputs;
import io.doorsync.store.LinkStore;

/**
 * Answers "why does this member have, or not have, access". It plans exactly as a run does, from the CRM now,
 * the member's own DoorFlow person and credentials read now (two calls), and the rest of DoorFlow as the last
 * run listed it (no calls; a full listing only before this instance's first run). Writes nothing.
 */
@ApplicationScoped
public class MemberExplainer {

    /** How many of the member's journal lines the explanation shows, newest first. */
    public static final int JOURNAL_LINES = 20;

    private final CrmReaders crm;
    private final DoorFlowMirrors mirrors;
    private final DoorFlowGateways doorflow;
    private final PlanInputs inputs;
    private final LinkStore links;
    private final RunStore runs;
    private final QuarantineStore quarantine;
    private final DoorsyncConfig config;

    MemberExplainer(CrmReaders crm, DoorFlowMirrors mirrors, DoorFlowGateways doorflow, PlanInputs inputs,
            LinkStore links, RunStore runs, QuarantineStore quarantine, DoorsyncConfig config) {
        this.links = links;
        this.crm = crm;
        this.mirrors = mirrors;
        this.doorflow = doorflow;
        this.inputs = inputs;
        this.runs = runs;
        this.quarantine = quarantine;
        this.config = config;
    }

    /** The explanation of a member of {@code account}, or empty when neither the CRM nor doorsync knows it. */
    public Optional<MemberExplanation> explain(Account account, String memberId) {
        DoorFlowGateway doorflow = this.doorflow.of(account);
        CrmReader crm = this.crm.of(account);
        // That member's rows only (a scoped read, as a wake-up's run makes), never the whole CRM or every link.
        Map<String, Link> all = links.links(account, List.of(memberId));
        Link link = all.get(memberId);
        String held = quarantine.quarantineReason(account, memberId);
        if (link == null && held == null && !crm.hasMember(memberId)) {
            return Optional.empty();
        }
        boolean withCredentials = config.credentials().enabled();
        DoorFlowMirror.Known known = mirrors.of(account).lastListing()
                .orElseGet(() -> new DoorFlowMirror.Known(doorflow.snapshot(withCredentials), Instant.now()));
        String mark = config.sync().systemIdPrefix() + ":" + memberId;
        Long personId = link != null ? Long.valueOf(link.personId())
                : known.snapshot().people().stream().filter(p -> mark.equals(p.systemId())).map(DoorFlowPerson::id)
                        .findFirst().orElse(null);
        DoorFlowPerson person = personId == null ? null : doorflow.personIfExists(personId);
        List<DoorFlowCredential> credentials = person == null || !withCredentials ? List.of()
                : doorflow.credentialsOf(person.id());
        Snapshot actual = withPersonNow(known.snapshot(), personId, person, credentials);
        // The member, and whoever in the CRM shares its email or its DoorFlow person's (the rules look at them).
        CrmSnapshot desired = crm.read(Set.of(memberId), person == null || person.email() == null ? Set.of()
                : Set.of(person.email().strip()));
        CrmMember member = desired.members().stream().filter(m -> memberId.equals(m.id())).findFirst().orElse(null);
        Plan plan = Planner.planFor(inputs.ofMember(account, desired, actual), memberId);

        Map<Long, String> typeSlugs = new HashMap<>();
        actual.credentialTypes().forEach(t -> typeSlugs.put(t.id(), t.slug()));
        List<CrmTeam> teams = member == null ? List.of() : desired.teams().stream()
                .filter(t -> member.teamIds().contains(t.id())).toList();
        Set<Long> managed = desired.teams().stream().map(CrmTeam::doorflowGroupId).filter(g -> g != null)
                .collect(Collectors.toSet());
        List<String> why = new ArrayList<>(crmSide(member, held, link));
        boolean access = doorflowSide(person, personId, why);
        List<NextChange> next = new ArrayList<>(plan.changes().stream()
                .map(c -> new NextChange(c.kind(), c.doorflowPersonId(), c.details())).toList());
        if (config.photos().enabled()) {
            Set<String> writable = PhotoPlanner.writable(desired.members(), plan);
            writable.retainAll(Set.of(memberId));
            PhotoPlanner.plan(desired.photos(), all, links.appliedPhotos(account, List.of(memberId)), writable)
                    .forEach(p -> next.add(new NextChange("photo", p.personId(), List.of(p.removes()
                            ? "removes the photo doorsync set" : "sets the CRM's photo"))));
        }
        return Optional.of(new MemberExplanation(memberId, access, why, crmView(member, teams, desired),
                personView(person, link != null, teams, managed, credentials, typeSlugs), held, next,
                runs.journalOfMember(account, memberId, JOURNAL_LINES), known.listedAt()));
    }

    /** The listing, with the member's person and credentials as just read (or without them, if it is gone). */
    private static Snapshot withPersonNow(Snapshot listed, Long personId, DoorFlowPerson person,
            List<DoorFlowCredential> credentials) {
        if (personId == null) {
            return listed;
        }
        List<DoorFlowPerson> people = new ArrayList<>(listed.people().size() + 1);
        listed.people().stream().filter(p -> p.id() != personId).forEach(people::add);
        if (person != null) {
            people.add(person);
        }
        List<DoorFlowCredential> held = new ArrayList<>(listed.credentials().stream()
                .filter(c -> c.personId() != personId).toList());
        held.addAll(credentials);
        return new Snapshot(listed.groupIds(), people, listed.credentialTypes(), held);
    }

    private static List<String> crmSide(CrmMember member, String quarantine, Link link) {
        List<String> why = new ArrayList<>();
        if (member == null) {
            why.add("not in the CRM" + (link == null ? "" : ": doorsync removes the access it gave (leave policy)"));
        } else if (!member.active()) {
            why.add("the CRM status is '" + member.status() + "', not 'active': doorsync removes the access it gave"
                    + " (leave policy)");
        } else {
            why.add("active in the CRM");
        }
        if (quarantine != null) {
            why.add("quarantined: " + quarantine);
        }
        return why;
    }

    /** Whether the DoorFlow person opens doors now; adds the reason. */
    private static boolean doorflowSide(DoorFlowPerson person, Long personId, List<String> why) {
        Instant now = Instant.now();
        if (person == null) {
            why.add(personId == null ? "no DoorFlow person is linked to this member"
                    : "DoorFlow person #" + personId + " no longer exists in DoorFlow");
            return false;
        }
        String who = "DoorFlow person #" + person.id();
        if (!person.enabled()) {
            why.add(who + " is disabled");
            return false;
        }
        if (person.validTo() != null && person.validTo().isBefore(now)) {
            why.add(who + " was valid until " + person.validTo());
            return false;
        }
        if (person.validFrom() != null && person.validFrom().isAfter(now)) {
            why.add(who + " is valid from " + person.validFrom());
            return false;
        }
        if (person.groupIds().isEmpty()) {
            why.add(who + " is in no group, so no door opens for it");
            return false;
        }
        why.add(who + " is enabled and in groups " + new TreeSet<>(person.groupIds()));
        return true;
    }

    private CrmView crmView(CrmMember member, List<CrmTeam> teams, CrmSnapshot desired) {
        if (member == null) {
            return null;
        }
        Set<String> generated = config.credentials().generatedPinTypes();
        List<CredentialView> wanted = desired.credentials().stream().filter(c -> member.id().equals(c.memberId()))
                .map(c -> new CredentialView(c.typeSlug(), null, null, c.value() != null ? "set"
                        : generated.contains(c.typeSlug()) ? "generated by DoorFlow" : "none"))
                .toList();
        return new CrmView(member.status(), member.email(), member.firstName(), member.lastName(), member.validFrom(),
                member.validTo(), teams.stream().map(t -> new TeamView(t.id(), t.name(), t.doorflowGroupId())).toList(),
                wanted);
    }

    private static PersonView personView(DoorFlowPerson person, boolean linked, List<CrmTeam> teams,
            Set<Long> managed, List<DoorFlowCredential> credentials, Map<Long, String> typeSlugs) {
        if (person == null) {
            return null;
        }
        List<GroupView> groups = new TreeSet<>(person.groupIds()).stream().map(g -> new GroupView(g,
                managed.contains(g), teams.stream().filter(t -> g.equals(t.doorflowGroupId())).map(CrmTeam::name)
                        .toList()))
                .toList();
        List<CredentialView> held = credentials.stream().map(c -> new CredentialView(
                typeSlugs.getOrDefault(c.typeId(), "type " + c.typeId()), c.id(), c.status(),
                c.value() == null ? "none" : "set")).toList();
        return new PersonView(person.id(), linked, person.systemId(), person.enabled(), person.email(),
                person.firstName(), person.lastName(), person.validFrom(), person.validTo(), groups, held);
    }
}
