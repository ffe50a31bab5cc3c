package io.doorsync.run;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.doorsync.Account;
import io.doorsync.DoorsyncConfig;
import io.doorsync.crm.CrmReader;
import io.doorsync.crm.CrmReaders;
import io.doorsync.crm.CrmReader.CrmSnapshot;
import io.doorsync.doorflow.DoorFlowGateway.Snapshot;
import io.doorsync.doorflow.DoorFlowMirror;
import io.doorsync.doorflow.DoorFlowMirrors;
import io.doorsync.execute.Applier;
import io.doorsync.plan.Change;
import io.doorsync.plan.CredentialPolicy;
import io.doorsync.plan.DoorFlowCredential;
import io.doorsync.plan.DoorFlowPerson;
import io.doorsync.plan.Link;
import io.doorsync.plan.PlanInput;
import io.doorsync.plan.PlanScope;
import io.doorsync.store.LinkStore;
import io.doorsync.store.OwnershipStore;
import io.doorsync.store.QuarantineStore;

/**
 * The planner's input: the CRM, DoorFlow, what doorsync recorded (links, approvals, creations) and the settings
 * the rules take. One place, so a run and an explanation of one member plan from exactly the same input.
 * <p>
 * A run a CRM wake-up started for some members reads and plans only what concerns them: those members, the
 * members sharing an email with them, the members of the people DoorFlow changed since the last listing, the
 * quarantined, and those an earlier wake-up's run did not finish; DoorFlow's side is cut to what they can reach
 * ({@link PlanScope}). At 100,000 members that is what keeps a commit's way to the doors short. Everyone is read
 * and planned when the wake-up did not name members, after a full listing of DoorFlow (at start, at every
 * full reconcile, after another replica ran), while the revocation guard holds, or when more than
 * {@value #MAX_SCOPE} members are concerned; and on every interval's tick, the safety net.
 */
@ApplicationScoped
public class PlanInputs {

    /** Above this many members concerned, one read of everyone is the cheaper and the simpler. */
    static final int MAX_SCOPE = 1000;

    private final DoorsyncConfig config;
    private final OwnershipStore ownership;
    private final QuarantineStore quarantine;
    private final CrmReaders crms;
    private final DoorFlowMirrors mirrors;
    private final LinkStore links;
    /**
     * Members a wake-up's run was to plan and did not finish (a change failed or was not sent, or the run failed
     * before it applied): the next wake-up's run plans them too. One set per account; only the run holding the
     * account's sync locks uses it.
     */
    private final Map<Account, Set<String>> owed = new ConcurrentHashMap<>();

    PlanInputs(DoorsyncConfig config, OwnershipStore ownership, QuarantineStore quarantine, CrmReaders crms,
            DoorFlowMirrors mirrors, LinkStore links) {
        this.links = links;
        this.config = config;
        this.ownership = ownership;
        this.quarantine = quarantine;
        this.crms = crms;
        this.mirrors = mirrors;
    }

    /**
     * What one run reads: the CRM, DoorFlow (through the mirror), and the input planned from them. {@code scope}
     * is the members planned, or null for everyone; {@code why} says which, for the run's log.
     */
    record Reading(CrmSnapshot desired, DoorFlowMirror.Refresh doorflow, PlanInput input, Set<String> scope,
            String why) {
    }

    /**
     * A run's reads. {@code named} is the members a wake-up named (null: everyone); see the class comment for
     * when everyone is read all the same.
     */
    Reading read(Account account, String doorflowAccount, Long previousRunId, long runId, Set<String> named,
            String everyoneBecause, Runnable progressed) {
        boolean credentials = config.credentials().enabled();
        CrmReader crm = crms.of(account);
        DoorFlowMirror mirror = mirrors.of(account);
        Set<String> owed = owedOf(account);
        if (named != null) {
            owed.addAll(named); // until a run has carried out their changes
        }
        if (named == null || everyoneBecause != null) {
            CrmSnapshot desired = crm.read();
            progressed.run();
            DoorFlowMirror.Refresh doorflow = mirror.refresh(doorflowAccount, previousRunId, runId, credentials);
            progressed.run();
            return everyone(account, desired, doorflow, everyoneBecause);
        }
        // DoorFlow first: the people it changed bring their members into the plan.
        DoorFlowMirror.Refresh doorflow = mirror.refresh(doorflowAccount, previousRunId, runId, credentials);
        progressed.run();
        Set<String> concerned = new HashSet<>(owed);
        List<DoorFlowPerson> touched = List.of();
        String everyone = doorflow.full() ? "DoorFlow was listed in full"
                : doorflow.touched().size() > MAX_SCOPE ? "more than " + MAX_SCOPE + " DoorFlow people changed" : null;
        if (everyone == null) {
            touched = doorflow.snapshot().people().stream().filter(p -> doorflow.touched().contains(p.id())).toList();
            concerned.addAll(links.membersLinkedTo(account, doorflow.touched()));
            concerned.addAll(PlanScope.markedMembers(touched, config.sync().systemIdPrefix()));
            // A change to one member can release another held back because of it (an email they shared).
            concerned.addAll(quarantine.quarantinedMembers(account));
            everyone = concerned.size() > MAX_SCOPE ? "more than " + MAX_SCOPE + " members concerned" : null;
        }
        if (everyone != null) {
            CrmSnapshot desired = crm.read();
            progressed.run();
            return everyone(account, desired, doorflow, everyone);
        }
        CrmSnapshot desired = crm.read(concerned, PlanScope.emails(touched));
        progressed.run();
        Set<String> scope = new HashSet<>(concerned);
        desired.members().forEach(m -> scope.add(m.id())); // and those sharing their emails
        return new Reading(desired, doorflow, scoped(account, desired, doorflow.snapshot(), scope), scope,
                scope.size() + " members (" + named.size() + " named by the CRM, " + doorflow.touched().size()
                        + " DoorFlow people changed)");
    }

    /**
     * A run has carried out its changes to {@code scope} (null: everyone): those not finished are owed to the next
     * wake-up's run, and the mirror is told what was written, so the next run reads it back
     * (see {@link DoorFlowMirror#written}).
     */
    void carriedOut(Account account, Set<String> scope, List<Applier.Result> results) {
        Set<String> owed = owedOf(account);
        if (scope == null) {
            owed.clear();
        } else {
            owed.removeAll(scope);
        }
        List<Long> deleted = new ArrayList<>();
        List<Long> written = new ArrayList<>();
        List<Long> failed = new ArrayList<>();
        for (Applier.Result r : results) {
            if (!r.applied() || r.failedCredentials() > 0) {
                owed.add(r.change().memberId());
            }
            Long personId = r.change().doorflowPersonId();
            if (personId == null || !r.reachedDoorFlow()) {
                continue; // a creation shows up in the next listing; bookkeeping reached nothing
            }
            if (!r.applied()) {
                failed.add(personId);
            } else if (r.change() instanceof Change.DeletePerson) {
                deleted.add(personId);
            } else {
                written.add(personId);
            }
        }
        mirrors.of(account).written(deleted, written, failed);
    }

    private Set<String> owedOf(Account account) {
        return owed.computeIfAbsent(account, a -> new HashSet<>());
    }

    private Reading everyone(Account account, CrmSnapshot desired, DoorFlowMirror.Refresh doorflow, String because) {
        return new Reading(desired, doorflow, of(account, desired, doorflow.snapshot()), null,
                because == null ? "everyone" : "everyone: " + because);
    }

    /** The input of a plan of everyone in the account. */
    public PlanInput of(Account account, CrmSnapshot desired, Snapshot actual) {
        return input(account, desired, actual, links.links(account), actual.people(),
                ownership.stampsInFlight(account), actual.credentials());
    }

    /**
     * The input of a plan of one member (its explanation), from a CRM read of that member and those sharing its
     * email: the same decisions as a plan of everyone (PlanScopeTest), reading neither all the CRM nor all links.
     */
    public PlanInput ofMember(Account account, CrmSnapshot desired, Snapshot actual) {
        Set<String> scope = new HashSet<>();
        desired.members().forEach(m -> scope.add(m.id()));
        return scoped(account, desired, actual, scope);
    }

    /** The input of a plan of {@code scope} only: their links, stamps in flight, and the part of DoorFlow they concern. */
    private PlanInput scoped(Account account, CrmSnapshot desired, Snapshot actual, Set<String> scope) {
        Map<String, Link> theirs = links.links(account, scope);
        List<DoorFlowPerson> people = PlanScope.people(actual.people(), scope, theirs.values(), desired.members(),
                config.sync().systemIdPrefix());
        Set<String> stamps = new HashSet<>(ownership.stampsInFlight(account));
        stamps.retainAll(scope);
        return input(account, desired, actual, theirs, people, stamps, PlanScope.credentials(actual.credentials(), people));
    }

    private PlanInput input(Account account, CrmSnapshot desired, Snapshot actual, Map<String, Link> links,
            List<DoorFlowPerson> people, Set<String> stampsInFlight, List<DoorFlowCredential> credentials) {
        return new PlanInput(desired.members(), desired.teams(), links, people, actual.groupIds(),
                config.sync().systemIdPrefix(), config.sync().leavePolicy(),
                new PlanInput.Credentials(desired.credentials(), actual.credentialTypes(), credentials,
                        credentialPolicy()), config.sync().driftRepairLimit(), ownership.approvedAdoptions(account),
                stampsInFlight);
    }

    private CredentialPolicy credentialPolicy() {
        DoorsyncConfig.Credentials c = config.credentials();
        return c.enabled() ? new CredentialPolicy(c.managedTypes(), c.generatedPinTypes()) : CredentialPolicy.NONE;
    }
}
