package io.doorsync.doorflow;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;

import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.resteasy.reactive.RestResponse;

import io.doorsync.DoorsyncConfig;
import io.doorsync.doorflow.DoorFlowDtos.DisableInput;
import io.doorsync.doorflow.DoorFlowDtos.Person;
import io.doorsync.doorflow.DoorFlowDtos.PersonInput;
import io.doorsync.plan.DoorFlowPerson;
import io.doorsync.plan.PersonSpec;

/**
 * DoorFlow as the rest of doorsync sees it: plan-level records in, plan-level records out. Pagination,
 * transport failures and retries of reads live here, nowhere else.
 */
@ApplicationScoped
public class DoorFlowGateway {

    /** DoorFlow's documented maximum for per_page. */
    static final int MAX_PAGE_SIZE = 100;

    private final DoorFlowApi api;
    private final int pageSize;

    DoorFlowGateway(@RestClient DoorFlowApi api, DoorsyncConfig config) {
        this.api = api;
        this.pageSize = Math.max(1, Math.min(MAX_PAGE_SIZE, config.doorflow().pageSize()));
    }

    /**
     * What DoorFlow holds now, as one listing: every group id and every (not deleted) person. Reads are
     * safe to repeat, so a DoorFlow hiccup (5xx, dropped connection) is retried; writes are not retried here.
     */
    @Retry(maxRetries = 2, delay = 500, retryOn = DoorFlowUnavailableException.class)
    public Snapshot snapshot() {
        return new Snapshot(listGroupIds(), listPeople());
    }

    public record Snapshot(Set<Long> groupIds, List<DoorFlowPerson> people) {
    }

    private Set<Long> listGroupIds() {
        Set<Long> ids = new HashSet<>();
        call(api::listGroups).forEach(g -> ids.add(g.id()));
        return ids;
    }

    private List<DoorFlowPerson> listPeople() {
        List<DoorFlowPerson> people = new ArrayList<>();
        for (int page = 1;; page++) {
            final int current = page;
            RestResponse<List<Person>> response = call(() -> api.listPeople(current, pageSize));
            List<Person> batch = response.getEntity() == null ? List.of() : response.getEntity();
            batch.forEach(p -> people.add(toPlan(p)));
            Integer total = intHeader(response, "Total");
            // Stop on a short page, or when the Total header says we have everything.
            if (batch.size() < pageSize || (total != null && people.size() >= total)) {
                return people;
            }
        }
    }

    /** Creates a person; returns its DoorFlow id. */
    public long create(PersonSpec spec) {
        return call(() -> api.createPerson(toInput(spec))).id();
    }

    public void update(long personId, PersonSpec spec) {
        call(() -> api.updatePerson(personId, toInput(spec)));
    }

    public void disable(long personId, Set<Long> remainingGroups) {
        call(() -> api.disablePerson(personId, new DisableInput(false, List.copyOf(remainingGroups))));
    }

    public void delete(long personId) {
        call(() -> api.deletePerson(personId));
    }

    /** Asks DoorFlow to push changes to the door controllers; a 429 comes back as DoorFlowException. */
    public void pushToDoors() {
        call(api::sync);
    }

    private static <T> T call(java.util.function.Supplier<T> request) {
        try {
            return request.get();
        } catch (ProcessingException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof DoorFlowNotConnectedException notConnected) {
                    throw notConnected; // raised by the auth filter: a setting is missing, not a network fault
                }
            }
            // Connection refused, reset, timeout: DoorFlow (or the network to it) is down, not the data.
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

    private static Integer intHeader(RestResponse<?> response, String name) {
        String value = response.getHeaderString(name);
        try {
            return value == null ? null : Integer.valueOf(value.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static DoorFlowPerson toPlan(Person p) {
        return new DoorFlowPerson(p.id(), p.systemId(), p.email(), p.firstName(), p.lastName(), p.telephone(),
                p.department(), p.jobTitle(), instant(p.validFrom()), instant(p.validTo()),
                p.enabled() == null || p.enabled(), p.groups() == null ? Set.of() : Set.copyOf(p.groups()));
    }

    static PersonInput toInput(PersonSpec s) {
        return new PersonInput(s.firstName(), s.lastName(), s.email(), s.systemId(), s.telephone(), s.department(),
                s.jobTitle(), s.enabled(), offset(s.validFrom()), offset(s.validTo()), List.copyOf(s.groupIds()));
    }

    private static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }

    private static OffsetDateTime offset(Instant t) {
        return t == null ? null : t.atOffset(ZoneOffset.UTC);
    }
}
