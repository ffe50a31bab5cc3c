package io.doorsync.doorflow;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;


import io.doorsync.DoorsyncConfig;
import io.doorsync.doorflow.DoorFlowGateway.PeopleListing;
import io.doorsync.doorflow.DoorFlowGateway.Snapshot;
import io.doorsync.plan.CredentialType;
import io.doorsync.plan.DoorFlowCredential;
import io.doorsync.plan.DoorFlowPerson;

/**
 * What DoorFlow holds, kept between runs so that a run reads only what changed. A full reconcile lists
 * everything (at start, every {@code doorsync.sync.full-reconcile-interval}, and whenever the mirror cannot be
 * trusted); in between, a run lists the people DoorFlow changed since the last listing ({@code since_utc}, from
 * DoorFlow's own clock, minus {@code doorsync.doorflow.since-overlap}) and reads the credentials of those people
 * and of the people this instance wrote.
 * <p>
 * What an incremental listing cannot see, and so waits for the next full reconcile: people deleted by hand and
 * credentials changed by hand on a person DoorFlow did not otherwise change (DoorFlow's people listing shows
 * neither). Both are in docs/operating.md.
 * <p>
 * One per doorsync account ({@link DoorFlowMirrors}). Only the run holding the account's sync locks changes it, one
 * run at a time; synchronized all the same, as it outlives any one run's thread.
 */
public class DoorFlowMirror {

    /**
     * How a run read DoorFlow, for its log line: a full listing and why, or how many people had changed and how
     * many credential reads (per person, or 1 for one listing of all) that took. {@code touched} is, for an
     * incremental read, every person it found changed, gone, or read again (null after a full listing).
     * {@code everyoneListed}: every listing since the last full one held still, so the snapshot holds every live
     * person (a create need not look its member up first; see {@code DoorFlowGateway.heldStill}).
     */
    public record Refresh(Snapshot snapshot, String fullBecause, int changedPeople, int credentialReads,
            Set<Long> touched, boolean everyoneListed) {
        public boolean full() {
            return fullBecause != null;
        }

        public String describe() {
            return full() ? "full listing (" + fullBecause + ")"
                    : changedPeople + " people changed in DoorFlow since the last listing, " + credentialReads
                            + " credential reads";
        }
    }

    /** A person and when DoorFlow last changed it (null when DoorFlow does not say). */
    private record Seen(DoorFlowPerson person, Instant updatedAt) {
    }

    private final DoorFlowGateway doorflow;
    private final Duration fullInterval;
    private final Duration overlap;

    private final Map<Long, Seen> people = new HashMap<>();
    private final Map<Long, List<DoorFlowCredential>> credentials = new HashMap<>();
    private Set<Long> groupIds = Set.of();
    private List<CredentialType> credentialTypes = List.of();
    /** People this instance wrote: their credentials are read again (a credential write leaves a person as it was). */
    private final Set<Long> recheck = new HashSet<>();
    /** People a write of this instance failed on: perhaps deleted by hand, which no listing shows. */
    private final Set<Long> doubtful = new HashSet<>();
    private String fullNext = "doorsync started";
    private String account;
    private Boolean withCredentials;
    private Long lastRunId;
    private Instant lastFull;
    private Instant listedUpTo;
    /** No listing since the last full one can have missed a live person. */
    private boolean everyoneListed;

    /** The gateway it reads through: DoorFlowMirrors makes a new mirror when an account's gateway changes. */
    DoorFlowGateway gateway() {
        return doorflow;
    }

    DoorFlowMirror(DoorFlowGateway doorflow, DoorsyncConfig config) {
        this.doorflow = doorflow;
        this.fullInterval = config.sync().fullReconcileInterval();
        this.overlap = config.doorflow().sinceOverlap();
    }

    /**
     * Brings the mirror up to date for run {@code runId} and returns what the planner sees. {@code previousRunId}
     * is the last run recorded before this one, by any replica: when it is not this mirror's last run, someone
     * else may have written DoorFlow in between, and the listing is a full one. When an incremental read fails
     * nothing changes: the next run reads from the same point; when a full one fails, the next run lists again.
     */
    public synchronized Refresh refresh(String account, Long previousRunId, long runId, boolean withCredentials) {
        String fullBecause = fullReconcileReason(account, previousRunId, withCredentials, Instant.now());
        lastRunId = runId;
        fullNext = fullBecause; // until a full listing succeeds, whatever the next run's ids say
        Refresh refresh = fullBecause != null ? full(fullBecause, withCredentials) : incremental(withCredentials);
        this.account = account;
        this.withCredentials = withCredentials;
        fullNext = null;
        return refresh;
    }

    /** Why the next listing must be a full one, or null when an incremental one is enough. */
    private String fullReconcileReason(String account, Long previousRunId, boolean withCredentials, Instant now) {
        return fullNext != null ? fullNext
                : fullReconcileReason(new Listed(this.account, this.withCredentials, lastRunId, lastFull),
                        new Listed(account, withCredentials, previousRunId, now), fullInterval);
    }

    /** What a listing was made for: the account, with or without credentials, after which run, and when. */
    record Listed(String account, Boolean withCredentials, Long runId, Instant at) {
    }

    /**
     * The rule, on its own: a full listing when the last one was for another account or credential setting,
     * another run came between (another replica may have written anything), or the interval has passed.
     */
    static String fullReconcileReason(Listed last, Listed next, Duration interval) {
        if (!Objects.equals(next.account(), last.account())) {
            return "connected to another DoorFlow account";
        }
        if (!Objects.equals(next.withCredentials(), last.withCredentials())) {
            return "credential sync was switched";
        }
        if (!Objects.equals(next.runId(), last.runId())) {
            return "another replica ran since this one listed DoorFlow";
        }
        if (!next.at().isBefore(last.at().plus(interval))) {
            return "doorsync.sync.full-reconcile-interval (" + interval + ") has passed";
        }
        return null;
    }

    private Refresh full(String because, boolean withCredentials) {
        // Everything is read again, so the old contents go first: a large account is not held twice while it is
        // listed. A listing that fails leaves the mirror empty, and fullNext still set: the next run lists again.
        people.clear();
        credentials.clear();
        listedUpTo = null;
        everyoneListed = false;
        Set<Long> groups = doorflow.groupIds();
        PeopleListing listing = doorflow.people(null);
        List<CredentialType> types = withCredentials ? doorflow.credentialTypes() : List.of();
        List<DoorFlowCredential> all = withCredentials ? doorflow.credentials() : List.of();
        remember(listing);
        replaceCredentials(all);
        groupIds = groups;
        credentialTypes = types;
        recheck.clear();
        doubtful.clear();
        lastFull = listing.startedAt();
        listedUpTo = listing.startedAt();
        everyoneListed = listing.heldStill();
        return new Refresh(snapshot(), because, listing.people().size(), 0, null, everyoneListed);
    }

    private Refresh incremental(boolean withCredentials) {
        Set<Long> groups = doorflow.groupIds();
        PeopleListing listing = doorflow.people(listedUpTo.minus(overlap));
        Set<Long> changed = new HashSet<>();
        Set<Long> listed = new HashSet<>();
        for (int i = 0; i < listing.people().size(); i++) {
            DoorFlowPerson p = listing.people().get(i);
            listed.add(p.id());
            Seen known = people.get(p.id());
            Instant updatedAt = listing.updatedAt().get(i);
            if (known == null || updatedAt == null || !updatedAt.equals(known.updatedAt())) {
                changed.add(p.id());
            }
        }
        // A failed write to a person who is not listed: perhaps deleted. Ask for each.
        Map<Long, DoorFlowPerson> rechecked = new HashMap<>();
        Set<Long> gone = new HashSet<>();
        for (long id : doubtful) {
            if (listed.contains(id)) {
                continue;
            }
            DoorFlowPerson now = doorflow.personIfExists(id);
            if (now == null) {
                gone.add(id);
            } else {
                rechecked.put(id, now);
            }
        }
        Set<Long> credentialsToRead = new HashSet<>(changed);
        credentialsToRead.addAll(recheck);
        credentialsToRead.removeAll(gone);
        Map<Long, List<DoorFlowCredential>> read = new HashMap<>();
        List<DoorFlowCredential> all = null;
        if (withCredentials && !credentialsToRead.isEmpty()) {
            if (credentialsToRead.size() > credentialListingPages()) {
                all = doorflow.credentials(); // fewer calls than one read per person
            } else {
                credentialsToRead.forEach(id -> read.put(id, doorflow.credentialsOf(id)));
            }
        }
        // Everything was read: only now is the mirror changed.
        remember(listing);
        rechecked.forEach((id, p) -> people.put(id, new Seen(p, people.containsKey(id) ? people.get(id).updatedAt()
                : null)));
        gone.forEach(this::forgetPerson);
        if (all != null) {
            replaceCredentials(all);
        }
        read.forEach((id, list) -> {
            if (list.isEmpty()) {
                credentials.remove(id);
            } else {
                credentials.put(id, List.copyOf(list));
            }
        });
        groupIds = groups;
        Set<Long> touched = new HashSet<>(changed); // recheck holds the looked-up ones too, gone or not
        touched.addAll(recheck);
        recheck.clear();
        doubtful.clear();
        listedUpTo = listing.startedAt();
        everyoneListed &= listing.heldStill(); // a person it missed stays missing until the next full listing
        return new Refresh(snapshot(), null, changed.size() + rechecked.size() + gone.size(),
                all != null ? 1 : read.size(), touched, everyoneListed);
    }

    private void remember(PeopleListing listing) {
        for (int i = 0; i < listing.people().size(); i++) {
            DoorFlowPerson p = listing.people().get(i);
            people.put(p.id(), new Seen(p, listing.updatedAt().get(i)));
        }
    }

    private void replaceCredentials(List<DoorFlowCredential> all) {
        credentials.clear();
        all.forEach(c -> credentials.computeIfAbsent(c.personId(), id -> new ArrayList<>()).add(c));
        credentials.replaceAll((id, held) -> List.copyOf(held)); // kept between runs: no room to grow per person
    }

    private void forgetPerson(long id) {
        people.remove(id);
        credentials.remove(id);
    }

    /** Roughly how many calls a listing of every credential takes. */
    private int credentialListingPages() {
        int count = credentials.values().stream().mapToInt(List::size).sum();
        return 1 + count / DoorFlowGateway.CREDENTIAL_PAGE_SIZE;
    }

    private Snapshot snapshot() {
        List<DoorFlowPerson> list = new ArrayList<>(people.size());
        people.values().forEach(k -> list.add(k.person()));
        List<DoorFlowCredential> creds = new ArrayList<>();
        credentials.values().forEach(creds::addAll);
        return new Snapshot(groupIds, list, credentialTypes, creds);
    }

    /**
     * What this instance's run just did to DoorFlow: people it deleted are gone; the credentials of people it
     * wrote are read back by the next run, and people a write failed on (or whose answer was lost) are looked up.
     * When that is more than a full listing costs, the next run lists everything instead.
     */
    public synchronized void written(Collection<Long> deleted, Collection<Long> written, Collection<Long> failed) {
        deleted.forEach(this::forgetPerson);
        recheck.addAll(written);
        recheck.addAll(failed);
        doubtful.addAll(failed);
        recheck.removeAll(deleted);
        doubtful.removeAll(deleted);
        if (fullNext == null && recheck.size() > 1 + people.size() / DoorFlowGateway.MAX_PAGE_SIZE
                + credentialListingPages()) {
            fullNext = recheck.size() + " people written by the last run: a full listing costs fewer calls";
        }
    }

    /** DoorFlow as the last run listed it, and when; no call is made. Empty before this instance's first listing. */
    public synchronized Optional<Known> lastListing() {
        return listedUpTo == null ? Optional.empty() : Optional.of(new Known(snapshot(), listedUpTo));
    }

    /** What {@link #lastListing()} answers: the snapshot and DoorFlow's time when that listing began. */
    public record Known(Snapshot snapshot, Instant listedAt) {
    }

    /** The next run lists everything: after a run whose outcome is unknown, or at an operator's request. */
    public synchronized void reconcileFullyNextRun(String because) {
        if (fullNext == null) {
            fullNext = because;
        }
    }
}
