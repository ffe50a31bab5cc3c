package io.doorsync.execute;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

import org.jboss.logging.Logger;

import io.doorsync.doorflow.DoorFlowException;
import io.doorsync.doorflow.DoorFlowNotConnectedException;
import io.doorsync.doorflow.DoorFlowUnavailableException;

/**
 * Whether the rest of a run's changes may still be sent, and if not, why. They stop for good when DoorFlow
 * refuses doorsync's own credentials account-wide (a 401 that a refreshed token did not cure: the API key or
 * token was revoked; a 403 while the OAuth connection lacks the account.person scope: every further write
 * would be refused the same way), when DoorFlow looks down (several changes in a row could not reach it), when
 * the {@link WritePermit} is withdrawn (doorsync stopping, the one-writer lock lost), or when doorsync's own
 * database fails (then nothing more can be recorded either). Any other 403 is the member's own: DoorFlow's
 * permission does not reach that person (an admin role scoped to an organisation, say), and the run goes on,
 * so one refused person never keeps the leavers after it their access.
 */
final class Refusal {

    private static final Logger LOG = Logger.getLogger(Refusal.class);

    /** Changes in a row that could not reach DoorFlow after which it counts as down for the rest of the run. */
    static final int OUTAGE_AFTER = 3;

    /** The OAuth scope every person and credential write needs (openapi.yaml). */
    static final String PERSON_WRITE_SCOPE = "account.person";

    private final WritePermit permit;
    /** Whether the authentication in use is known not to carry a scope (only OAuth says). */
    private final Predicate<String> lacksScope;
    private final AtomicReference<String> reason = new AtomicReference<>();
    private final AtomicInteger unreachableInARow = new AtomicInteger();
    /** Members whose change DoorFlow refused for that member (a 4xx about its data or person), with why. */
    private final Map<String, String> refused = new ConcurrentHashMap<>();
    /** Failures that were not such a refusal: an outage, a lost answer, doorsync's credentials. */
    private final AtomicInteger otherFailures = new AtomicInteger();
    private volatile boolean databaseFailed;

    Refusal(WritePermit permit, Predicate<String> lacksScope) {
        this.permit = permit;
        this.lacksScope = lacksScope;
    }

    /** Why writes stopped, or null while they go on. */
    String reason() {
        if (reason.get() == null) {
            String withdrawn = permit.stopReason();
            if (withdrawn != null) {
                reason.compareAndSet(null, withdrawn);
            }
        }
        return reason.get();
    }

    /** doorsync's database failed: stop, and do not try to record the changes left either. */
    void databaseFailed(RuntimeException e) {
        databaseFailed = true;
        reason.compareAndSet(null, "doorsync's database failed (" + e.getMessage() + ")");
    }

    boolean canRecord() {
        return !databaseFailed;
    }

    void succeeded() {
        unreachableInARow.set(0);
    }

    /** Members DoorFlow refused a change of, for that member alone (member id → why). */
    Map<String, String> refusedMembers() {
        return Map.copyOf(refused);
    }

    /** How many steps failed otherwise (an outage, a lost answer, an account-wide refusal, a bug). */
    int otherFailures() {
        return otherFailures.get();
    }

    /** Words for the journal about a failed step; notes a refusal of doorsync's credentials or an outage. */
    String failure(RuntimeException e, String kind, String member) {
        Failure failure = classify(e, kind, member);
        if (failure.membersOwn()) {
            refused.put(member, kind + ": " + failure.words());
        } else {
            otherFailures.incrementAndGet();
        }
        return failure.words();
    }

    /** A failed step in words, and whether DoorFlow refused it for that member alone (not an outage, not us). */
    private record Failure(String words, boolean membersOwn) {
    }

    private Failure classify(RuntimeException e, String kind, String member) {
        if (e instanceof DoorFlowNotConnectedException) {
            reason.compareAndSet(null, e.getMessage());
            return new Failure(e.getMessage(), false);
        }
        if (e instanceof DoorFlowUnavailableException) {
            int inARow = unreachableInARow.incrementAndGet();
            if (inARow >= OUTAGE_AFTER) {
                reason.compareAndSet(null, "DoorFlow looks down: " + inARow + " changes in a row could not reach it"
                        + " (last: " + e.getMessage() + ")");
            }
            return new Failure(e.getMessage(), false);
        }
        unreachableInARow.set(0);
        if (e instanceof NotOursException || e instanceof MissedByListingException) {
            return new Failure(e.getMessage(), e instanceof NotOursException);
        }
        if (e instanceof DoorFlowException d) {
            if (d.status() == 401) {
                reason.compareAndSet(null, "DoorFlow refused doorsync's credentials (" + d.getMessage() + "): the"
                        + " API key or token was revoked or has expired");
                return new Failure(d.getMessage(), false);
            }
            if (d.status() == 403 && lacksScope.test(PERSON_WRITE_SCOPE)) {
                reason.compareAndSet(null, "DoorFlow refused a write (" + d.getMessage() + ") and the OAuth"
                        + " connection was not granted the " + PERSON_WRITE_SCOPE + " scope: reconnect on /admin and"
                        + " grant it");
                return new Failure(d.getMessage(), false);
            }
            if (d.status() == 403) {
                return new Failure(d.getMessage() + ": DoorFlow's permission for doorsync does not reach this person"
                        + " (a role scoped to part of the account?); the member's other changes and the run go on, and"
                        + " it is tried again next run", true);
            }
            return new Failure(d.getMessage(), d.status() >= 400 && d.status() < 500 && d.status() != 429);
        }
        LOG.errorf(e, "unexpected failure applying %s for member %s", kind, member);
        return new Failure("unexpected error: " + e, false);
    }
}
