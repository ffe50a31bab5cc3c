package io.doorsync.execute;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongSupplier;

import io.doorsync.Account;
import io.doorsync.doorflow.DoorFlowException;
import io.doorsync.doorflow.DoorFlowGateway;
import io.doorsync.plan.Change.AdoptPerson;
import io.doorsync.plan.Change.CreatePerson;
import io.doorsync.plan.Change.DeletePerson;
import io.doorsync.plan.Change.DisablePerson;
import io.doorsync.plan.Change.Unlink;
import io.doorsync.plan.Change.UpdatePerson;
import io.doorsync.plan.Change;
import io.doorsync.plan.DoorFlowPerson;
import io.doorsync.plan.Link;
import io.doorsync.plan.PersonSpec;
import io.doorsync.plan.SpecHash;
import io.doorsync.store.LinkStore;
import io.doorsync.store.OutcomeBatch;
import io.doorsync.store.LinkUpdate;
import io.doorsync.store.OwnershipStore;

/** Carries out one member's change against DoorFlow: its person step, then its credential steps, in order. */
final class ChangeExecution implements Change.Handler<ChangeExecution.Done> {

    /** What a step did: the person, words for the journal, the link to keep, and what it cost DoorFlow. */
    record Done(Long personId, String detail, LinkUpdate link, int failedCredentials, boolean reachedDoorFlow) {
    }

    private final DoorFlowGateway doorflow;
    private final OwnershipStore ownership;
    private final Account account;
    private final LinkStore links;
    private final CredentialSteps credentials;
    private final OutcomeBatch outcomes;
    /** Members whose person an earlier run started to stamp and did not link (read once, under the run's lock). */
    private final Set<String> stampsInFlight;
    /** The plan's listing of DoorFlow held still: it holds every live person. */
    private final boolean everyoneListed;
    private final Refusal refusal;

    ChangeExecution(Account account, DoorFlowGateway doorflow, OwnershipStore ownership, LinkStore links,
            ChangeMetrics metrics, OutcomeBatch outcomes, Set<String> stampsInFlight, boolean everyoneListed,
            Refusal refusal) {
        this.account = account;
        this.doorflow = doorflow;
        this.ownership = ownership;
        this.links = links;
        this.credentials = new CredentialSteps(doorflow, metrics);
        this.outcomes = outcomes;
        this.stampsInFlight = stampsInFlight;
        this.everyoneListed = everyoneListed;
        this.refusal = refusal;
    }

    @Override
    public Done create(CreatePerson c) {
        // A listing can miss a person (offset pagination while DoorFlow changes): unless it held still, look the
        // member up before creating, and always when an earlier attempt may have created it (its answer lost).
        boolean ours = stampsInFlight.contains(c.memberId());
        List<DoorFlowPerson> existing = ours || !everyoneListed ? doorflow.withSystemId(c.spec().systemId())
                : List.of();
        long id;
        if (existing.isEmpty()) {
            // Known as this installation's own before it exists, so a crash before the link is saved loses nothing.
            id = stamping(c.memberId(), () -> doorflow.create(c.spec()));
        } else if (existing.size() == 1 && (ours || linkedTo(c.memberId(), existing.get(0).id()))) {
            // Created by an earlier attempt that died before linking it, or linked and missed by the listing.
            id = existing.get(0).id();
            doorflow.update(id, c.spec()); // just looked up: no need to read it again
        } else {
            throw new NotOursException("not created: DoorFlow already holds " + existing.size() + " person(s)"
                    + " with system_id " + c.spec().systemId() + " that this installation did not create (another"
                    + " installation with the same doorsync.sync.system-id-prefix?)");
        }
        int failed = credentials.apply(outcomes, c.memberId(), id, c.credentials(), refusal);
        return new Done(id, (existing.isEmpty() ? "created" : "found by system_id (the listing missed it) and updated")
                + " with groups " + c.spec().groupIds(),
                new LinkUpdate.Save(id, savedHash(c.hash(), failed), c.spec().groupIds()), failed, true);
    }

    /**
     * A write that stamps the member's system_id onto a person, its stamp recorded before it is sent. A refusal
     * (4xx) was not applied, so the stamp is let go; any other failure (a lost answer, a 5xx) may have been.
     */
    private long stamping(String memberId, LongSupplier write) {
        ownership.stampStarted(account, memberId, Instant.now());
        try {
            return write.getAsLong();
        } catch (DoorFlowException e) {
            if (e.status() >= 400 && e.status() < 500) {
                ownership.stampAbandoned(account, memberId);
            }
            throw e;
        }
    }

    /** The member is linked to this person: a create planned for it means the listing did not show it. */
    private boolean linkedTo(String memberId, long personId) {
        Link link = links.links(account, List.of(memberId)).get(memberId);
        return link != null && link.personId() == personId;
    }

    @Override
    public Done adopt(AdoptPerson a) {
        // Stamped by this installation from the PUT on: recorded first, so a lost answer, a crash or a failed
        // outcome write before the link is saved ends in a link at the next run, never in "not ours".
        stamping(a.memberId(), () -> {
            doorflow.update(a.personId(), withFreshGroups(a.personId(), a.spec(), a.listedGroups()));
            return a.personId();
        });
        int failed = credentials.apply(outcomes, a.memberId(), a.personId(), a.credentials(), refusal);
        return new Done(a.personId(), "adopted unmanaged person by email; groups now " + a.spec().groupIds(),
                new LinkUpdate.Save(a.personId(), savedHash(a.hash(), failed), a.ownedGroups()), failed, true);
    }

    @Override
    public Done update(UpdatePerson u) {
        if (u.putsPerson()) {
            doorflow.update(u.personId(), withFreshGroups(u.personId(), u.spec(), u.listedGroups()));
        }
        int failed = credentials.apply(outcomes, u.memberId(), u.personId(), u.credentials(), refusal);
        String detail = u.putsPerson() ? "changed " + String.join(", ", u.changedFields())
                : u.credentials().isEmpty() ? "DoorFlow already matches; link brought up to date"
                        : "person unchanged; credentials only";
        return new Done(u.personId(), drift(u) + detail, new LinkUpdate.Save(u.personId(), savedHash(u.hash(), failed),
                u.ownedGroups(), u.driftMemory()), failed, true);
    }

    @Override
    public Done disable(DisablePerson d) {
        // Access goes first; the credentials (freeing card numbers and mobile licences) after.
        doorflow.disable(d.personId(), freshGroups(d.personId(), d.remainingGroups(), d.listedGroups()));
        int failed = credentials.apply(outcomes, d.memberId(), d.personId(), d.credentials(), refusal);
        return new Done(d.personId(), drift(d) + "disabled; groups kept " + d.remainingGroups(),
                new LinkUpdate.Save(d.personId(), savedHash(SpecHash.DISABLED, failed), Set.of()), failed, true);
    }

    @Override
    public Done delete(DeletePerson d) {
        // Credentials first: once the person is deleted they can no longer be reached to free them.
        int failed = credentials.apply(outcomes, d.memberId(), d.personId(), d.credentials(), refusal);
        try {
            doorflow.delete(d.personId());
        } catch (DoorFlowException e) {
            if (e.status() != 404) {
                throw e;
            }
            return new Done(d.personId(), "already gone from DoorFlow", new LinkUpdate.Remove(), failed, true);
        }
        return new Done(d.personId(), "deleted (DoorFlow soft delete)", new LinkUpdate.Remove(), failed, true);
    }

    @Override
    public Done unlink(Unlink u) {
        if (everyoneListed) {
            return new Done(u.personId(), u.reason(), new LinkUpdate.Remove(), 0, false); // bookkeeping only
        }
        // The listing may have missed the person: ask before letting go of it, or a leaver could keep access.
        DoorFlowPerson now = doorflow.personIfExists(u.personId());
        if (now != null && u.mark().equals(now.systemId())) {
            throw new MissedByListingException("kept linked: DoorFlow person #" + u.personId() + " still carries"
                    + " system_id " + u.mark() + " (the listing missed it while DoorFlow changed); the next run reads"
                    + " it again");
        }
        return new Done(u.personId(), u.reason() + " (asked DoorFlow)", new LinkUpdate.Remove(), 0, true);
    }

    /**
     * DoorFlow's PUT replaces group_ids wholesale: re-read the person right before writing it, and apply only this
     * step's own difference (the groups it takes away and gives, against the listing it was planned from) to what
     * DoorFlow holds now, so a group added by hand since the listing survives. One read per write.
     */
    private PersonSpec withFreshGroups(long personId, PersonSpec spec, Set<Long> listed) {
        return spec.withGroups(freshGroups(personId, spec.groupIds(), listed));
    }

    private Set<Long> freshGroups(long personId, Set<Long> planned, Set<Long> listed) {
        Set<Long> now = doorflow.person(personId).groupIds();
        if (now.equals(listed)) {
            return planned;
        }
        Set<Long> groups = new TreeSet<>(now);
        listed.stream().filter(g -> !planned.contains(g)).forEach(groups::remove); // what this step takes away
        planned.stream().filter(g -> !listed.contains(g)).forEach(groups::add); // what it gives
        return groups;
    }

    /** Names the fields a drift repair puts back (never a value). */
    private static String drift(Change change) {
        return change.driftFields().isEmpty() ? ""
                : "DoorFlow differed from what doorsync applied in " + String.join(", ", change.driftFields())
                        + "; put back: ";
    }

    /** A member with a failed credential step is planned again next run; the rest is not undone. */
    private static String savedHash(String hash, int failedCredentials) {
        return failedCredentials == 0 ? hash : SpecHash.INCOMPLETE;
    }
}
