package io.doorsync.doorflow;

import java.net.ConnectException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.Response;

import io.doorsync.Account;
import io.doorsync.DoorsyncConfig;
import io.doorsync.doorflow.DoorFlowDtos.CredentialInput;
import io.doorsync.doorflow.DoorFlowDtos.CredentialUpdateInput;
import io.doorsync.doorflow.DoorFlowDtos.CredentialValue;
import io.doorsync.doorflow.DoorFlowDtos.DisableInput;
import io.doorsync.doorflow.DoorFlowDtos.NewCredential;
import io.doorsync.doorflow.DoorFlowDtos.Person;
import io.doorsync.plan.CredentialType;
import io.doorsync.plan.DoorFlowCredential;
import io.doorsync.plan.DoorFlowPerson;
import io.doorsync.plan.PersonFields;
import io.doorsync.plan.PersonSpec;
import io.doorsync.plan.ValuePool;
import io.smallrye.faulttolerance.api.Guard;

/**
 * DoorFlow as the rest of doorsync sees it: plan-level records in, plan-level records out. Pagination,
 * transport failures and retries live here, nowhere else:
 * <ul>
 * <li>a read (one page at a time) that fails with a 5xx, a lost connection or a 429 is tried again with
 * exponential backoff and jitter, after exactly the wait a 429 names, within {@code doorsync.doorflow.retry-budget};
 * when DoorFlow is down, the run fails after the last retry with DoorFlow's own words;</li>
 * <li>a write answered 429 was not applied: every writer waits what DoorFlow asked, then it is sent again, and
 * fewer writes are sent at once for a while ({@link WriteLimit});</li>
 * <li>any other failed write is not sent again, least of all one whose answer was lost (it may have been
 * applied): the change fails, and the next run plans it again from a fresh listing.</li>
 * </ul>
 */
public class DoorFlowGateway { // one per doorsync account: DoorFlowGateways

    /** DoorFlow's documented maximum for per_page. */
    static final int MAX_PAGE_SIZE = 100;

    /** DoorFlow's default per_page for credential listings, which have no documented maximum. */
    static final int CREDENTIAL_PAGE_SIZE = 500;

    /** The longest exponential backoff step; a 429's own wait may be longer. */
    private static final long MAX_BACKOFF_MILLIS = 5_000;

    private final DoorFlowApi api;
    private final DoorFlowCredentials credentials;
    private final DoorFlowMetrics metrics;
    private final int pageSize;
    private final Guard reads;
    private final Guard writes;
    private final WritePause writePause = new WritePause();
    private final WriteLimit writeLimit;
    private final PersonFields fields;
    private volatile String accountId;
    private final Account account;

    DoorFlowGateway(Account account, DoorFlowApi api, DoorFlowCredentials credentials, DoorFlowMetrics metrics,
            DoorsyncConfig config, PersonFields fields) {
        this.account = account;
        this.api = api;
        this.fields = fields;
        this.credentials = credentials;
        this.metrics = metrics;
        this.pageSize = Math.max(1, Math.min(MAX_PAGE_SIZE, config.doorflow().pageSize()));
        this.writeLimit = new WriteLimit(config.sync().concurrency());
        DoorsyncConfig.Doorflow.Retry retry = config.doorflow().retry();
        this.reads = retrying(retry, retry.reads(), List.of(DoorFlowUnavailableException.class,
                DoorFlowRateLimitedException.class), "DoorFlow reads");
        this.writes = retrying(retry, retry.rateLimitedWrites(), List.of(DoorFlowRateLimitedException.class),
                "DoorFlow writes");
    }

    /** Whether this account's credentials are known not to carry {@code scope} (see DoorFlowCredentials). */
    public boolean lacksScope(String scope) {
        return credentials.lacksScope(scope);
    }

    /** Its writes at once now; the default account's is a metric (the gateway holds it: a gauge's is weak). */
    WriteLimit writeLimit() {
        return writeLimit;
    }

    private Guard retrying(DoorsyncConfig.Doorflow.Retry retry, int times,
            List<Class<? extends Throwable>> retryOn, String description) {
        return Guard.create().withDescription(description).withRetry().maxRetries(times)
                .delay(retry.delay().toMillis(), ChronoUnit.MILLIS)
                .maxDuration(retry.budget().toMillis(), ChronoUnit.MILLIS).retryOn(retryOn)
                .beforeRetry(e -> metrics.retried(account, e instanceof DoorFlowRateLimitedException
                        ? "rate_limited" : "unavailable"))
                .withCustomBackoff().strategy(() -> new DoorFlowBackoff(MAX_BACKOFF_MILLIS)).done().done().build();
    }

    /**
     * What DoorFlow holds now, as one listing: every group id and every (not deleted) person, and with
     * {@code withCredentials} every credential type and credential. Each page is read (and retried) on its own.
     */
    public Snapshot snapshot(boolean withCredentials) {
        if (!withCredentials) {
            return new Snapshot(groupIds(), people(null).people(), List.of(), List.of());
        }
        return new Snapshot(groupIds(), people(null).people(), credentialTypes(), credentials());
    }

    public record Snapshot(Set<Long> groupIds, List<DoorFlowPerson> people, List<CredentialType> credentialTypes,
            List<DoorFlowCredential> credentials) {
    }

    /**
     * People as listed, with when DoorFlow last changed each and DoorFlow's own clock when the listing began (its
     * Date header; doorsync's clock when there is none): the {@code since_utc} of the next listing. {@code heldStill}
     * says it cannot have missed a live person (see {@link #heldStill}).
     */
    public record PeopleListing(List<DoorFlowPerson> people, List<Instant> updatedAt, Instant startedAt,
            boolean heldStill) {
    }

    /** Every group id; DoorFlow does not paginate groups, so this is one call. */
    public Set<Long> groupIds() {
        Set<Long> ids = new HashSet<>();
        read(api::listGroups).forEach(g -> ids.add(g.id()));
        return ids;
    }

    /** Every live person, or with {@code changedSince} only those DoorFlow created or updated since then. */
    public PeopleListing people(Instant changedSince) {
        String since = changedSince == null ? null : changedSince.truncatedTo(ChronoUnit.SECONDS).toString();
        List<Instant> updatedAt = new ArrayList<>();
        ValuePool shared = new ValuePool(); // people share a few sets of groups
        // Each page is turned into plan records as it arrives, so the DTOs of 100,000 people are never held at once.
        PagedListing<DoorFlowPerson> listing = listAll(pageSize, since == null ? api::listPeople
                : (page, perPage) -> api.listPeopleChangedSince(since, page, perPage), p -> {
                    updatedAt.add(instant(p.updatedAt()));
                    return PersonBodies.toPlan(p, fields, shared);
                });
        return new PeopleListing(listing.items(), updatedAt, listing.startedAt(), heldStill(listing));
    }

    /**
     * Whether a listing of people can have missed a live one. One page cannot. Over several, offset pagination
     * skips a person when one listed before it goes between two pages, so the listing held still only when every
     * page reported the same Total, it found that many different people, and DoorFlow created or changed nobody
     * since it began (one more call, on DoorFlow's own clock, which also catches a delete hidden by a create).
     * Without a Date header the clocks cannot be compared, and a Total that moved says nothing: not known to.
     */
    private boolean heldStill(PagedListing<DoorFlowPerson> listing) {
        if (listing.pages() == 1) {
            return true;
        }
        if (!listing.dated() || listing.total() == null
                || listing.items().stream().map(DoorFlowPerson::id).distinct().count() != listing.total()) {
            return false;
        }
        String since = listing.startedAt().toString();
        List<Person> changed = read(() -> api.listPeopleChangedSince(since, 1, 1)).getEntity();
        return changed == null || changed.isEmpty();
    }

    public List<CredentialType> credentialTypes() {
        return listAll(CREDENTIAL_PAGE_SIZE, api::listCredentialTypes, t -> new CredentialType(t.id(), t.slug()))
                .items();
    }

    /** Every credential of the account. */
    public List<DoorFlowCredential> credentials() {
        ValuePool shared = new ValuePool(); // and credentials a few statuses
        return listAll(CREDENTIAL_PAGE_SIZE, api::listCredentials, c -> toPlan(c, shared)).items();
    }

    /** One person's credentials. */
    public List<DoorFlowCredential> credentialsOf(long personId) {
        ValuePool shared = new ValuePool();
        return listAll(CREDENTIAL_PAGE_SIZE, (page, perPage) -> api.listPersonCredentials(personId, page, perPage),
                c -> toPlan(c, shared)).items();
    }

    /** One access event: an admit or a reject, at a door (channel), of a DoorFlow person if known. */
    public record AccessEvent(long id, int code, Long doorId, String doorName, Long personId, Instant at) {
    }

    /** Access events created at or after {@code since}, oldest first, read {@code perPage} at a time. */
    public List<AccessEvent> events(Instant since, int perPage) {
        String from = since.truncatedTo(ChronoUnit.SECONDS).toString();
        return listAll(perPage, (page, n) -> api.listEvents(from, "ASC", n, page), e -> new AccessEvent(e.id(),
                e.eventCode(), e.doorControllerId(), e.doorControllerName(), e.personId(), instant(e.createdAt())))
                .items();
    }

    /** Walks a paginated listing through {@link #read}, so each page is retried on its own. */
    private <T, R> PagedListing<R> listAll(int perPage, PagedListing.PageRequest<T> request, Function<T, R> mapped) {
        return PagedListing.walk(perPage, request, mapped, this::read);
    }

    /** Issues a credential; returns DoorFlow's id for it. 409 comes back as {@link DoorFlowConflictException}. */
    public String createCredential(long personId, long typeId, String value) {
        return write(() -> api.createCredential(personId, new CredentialInput(new NewCredential(typeId, value))))
                .id();
    }

    public void updateCredential(long personId, String credentialId, String value) {
        write(() -> api.updateCredential(personId, credentialId,
                new CredentialUpdateInput(new CredentialValue(value))));
    }

    /** Deletes a credential; true when DoorFlow accepted it for asynchronous revocation (202, mobile). */
    public boolean deleteCredential(long personId, String credentialId) {
        try (Response response = write(() -> api.deleteCredential(personId, credentialId))) {
            return response.getStatus() == 202;
        }
    }

    /** The person as DoorFlow holds it now (a read right before a write, never one per unchanged member). */
    public DoorFlowPerson person(long personId) {
        return toPlan(read(() -> api.getPerson(personId)));
    }

    /** The person as DoorFlow holds it now, or null when DoorFlow has no such (live) person. */
    public DoorFlowPerson personIfExists(long personId) {
        try {
            return person(personId);
        } catch (DoorFlowException e) {
            if (e.status() == 404) {
                return null;
            }
            throw e;
        }
    }

    /** People carrying exactly this system_id now: the look-up right before a create. */
    public List<DoorFlowPerson> withSystemId(String systemId) {
        return read(() -> api.peopleWithSystemId(systemId)).stream().filter(p -> systemId.equals(p.systemId()))
                .map(this::toPlan).toList();
    }

    /**
     * The id of the DoorFlow account these credentials reach, asked once (GET /api/3/account): a key cannot move
     * to another account, and a new key is a new gateway (OAuth's account comes from its token info instead).
     */
    public String accountId() {
        String known = accountId;
        if (known == null) {
            known = read(api::getAccount).id();
            accountId = known;
        }
        return known;
    }

    /** Closes its REST client: a replaced or removed account's key goes with it. */
    void close() {
        if (api instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                // nothing is sent any more either way
            }
        }
    }

    /** Creates a person; returns its DoorFlow id. */
    public long create(PersonSpec spec) {
        return write(() -> api.createPerson(PersonBodies.toInput(spec))).id();
    }

    public void update(long personId, PersonSpec spec) {
        write(() -> api.updatePerson(personId, PersonBodies.toInput(spec)));
    }

    public void disable(long personId, Set<Long> remainingGroups) {
        write(() -> api.disablePerson(personId, new DisableInput(false, List.copyOf(remainingGroups))));
    }

    /** Sets the person's photo (base64 of the image bytes). */
    public void setImage(long personId, String base64) {
        write(() -> api.setPersonImage(personId, new DoorFlowDtos.ImageInput(base64)));
    }

    /** Deletes the person's photo. */
    public void removeImage(long personId) {
        write(() -> api.removePersonImage(personId, new DoorFlowDtos.ImageRemoval("")));
    }

    public void delete(long personId) {
        write(() -> api.deletePerson(personId));
    }

    /**
     * Asks DoorFlow to push changes to the door controllers. Not retried: a 429 (the push is rate-limited for
     * long spells) comes back as {@link DoorFlowRateLimitedException}, and the run keeps the push owed.
     */
    public void pushToDoors() {
        call(api::sync, false);
    }

    /** A read: safe to repeat, so retried on any failure worth retrying. */
    @SuppressWarnings("unchecked") // Object.class only tells the guard the call is synchronous
    private <T> T read(Supplier<T> request) {
        return (T) reads.get(() -> call(request, false), Object.class);
    }

    /**
     * A write: sent again only after a 429 (DoorFlow did not apply it), once DoorFlow's wait is over; every other
     * writer waits too.
     */
    @SuppressWarnings("unchecked")
    private <T> T write(Supplier<T> request) {
        return (T) writes.get(() -> {
            if (!writePause.await() || !writeLimit.acquire()) {
                throw new DoorFlowUnavailableException("not sent: doorsync is stopping", null);
            }
            boolean rateLimited = false;
            try {
                return call(request, true);
            } catch (DoorFlowRateLimitedException e) {
                rateLimited = true;
                writePause.extend(e.retryAfter());
                throw e;
            } finally {
                writeLimit.release(rateLimited);
            }
        }, Object.class);
    }

    /**
     * One DoorFlow request. A 401 is answered once by renewing the authorization (an OAuth token refreshed,
     * unless another thread or replica already did) and retrying; a static key or token is not retried.
     */
    private <T> T call(Supplier<T> request, boolean write) {
        DoorFlowCredentials.Authorization used = credentials.authorization();
        try {
            return send(request, write);
        } catch (DoorFlowException e) {
            if (e.status() != 401) {
                throw e;
            }
            if (credentials.renew(used) == null) {
                throw e;
            }
            metrics.retried(account, "unauthorized");
            return send(request, write);
        }
    }

    private static <T> T send(Supplier<T> request, boolean write) {
        try {
            return request.get();
        } catch (ProcessingException e) {
            boolean neverSent = false;
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof DoorFlowNotConnectedException notConnected) {
                    throw notConnected; // raised by the auth filter: a setting is missing, not a network fault
                }
                neverSent |= t instanceof ConnectException;
            }
            if (write && !neverSent) {
                throw new DoorFlowAnswerLostException("no answer from DoorFlow (" + rootMessage(e) + "); it may have"
                        + " been applied, so it is not sent again: the next run plans it from a fresh listing", e);
            }
            // Connection refused or reset, timeout: DoorFlow (or the network to it) is down, not the data.
            throw new DoorFlowUnavailableException("DoorFlow could not be reached: " + rootMessage(e), e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : " " + root.getMessage());
    }

    /** A credential as the planner sees it; {@code shared} keeps a listing's equal values once. */
    private static DoorFlowCredential toPlan(DoorFlowDtos.Credential c, ValuePool shared) {
        return new DoorFlowCredential(c.id(), c.personId(), c.credentialTypeId(), c.value(), shared.one(c.status()));
    }

    DoorFlowPerson toPlan(Person p) {
        return PersonBodies.toPlan(p, fields, new ValuePool());
    }

    private static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }

}
