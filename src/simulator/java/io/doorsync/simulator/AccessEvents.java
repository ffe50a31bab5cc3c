package io.doorsync.simulator;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.doorsync.simulator.Http.Request;
import io.doorsync.simulator.Http.Response;

/**
 * The doors of the simulated account and what happens at them: a badge at a door admits a live, enabled person
 * inside its validity who is in a group that opens that door, and rejects anyone else. Each badge is an event
 * in openapi.yaml's shape, listed by {@code GET /api/3/events} (since, sort, n, page; access events only unless
 * event_codes says otherwise; the last 90 days by default).
 */
final class AccessEvents {

    /** A door controller (DoorFlow calls them channels) and the groups whose people it admits. */
    record Door(long id, String name, Set<Long> groupIds) {
    }

    /** What an OAuth token needs to list events (openapi.yaml). */
    static final String SCOPE = "account.event.access.readonly";

    /** Card admitted, and "unauthorized" rejected: the codes the simulator produces. */
    static final int ADMITTED_BY_CARD = 10;
    static final int REJECTED_UNAUTHORIZED = 27;

    private static final Duration DEFAULT_WINDOW = Duration.ofDays(90);
    private static final int MAX_PER_PAGE = 1000;

    private final Account account;
    final TreeMap<Long, Door> doors = new TreeMap<>();
    /** In the order they happened, which is also id order. */
    private final List<ObjectNode> events = new ArrayList<>();
    private long nextId = 500_000;

    AccessEvents(Account account) {
        this.account = account;
    }

    void clear() {
        doors.clear();
        events.clear();
    }

    void addDoor(long id, String name, Set<Long> groupIds) {
        doors.put(id, new Door(id, name, Set.copyOf(groupIds)));
    }

    /** Someone shows their credential at a door: the event DoorFlow records. Null for an unknown person or door. */
    ObjectNode badge(long personId, long doorId) {
        ObjectNode person = account.people.get(personId);
        Door door = doors.get(doorId);
        if (person == null || door == null) {
            return null;
        }
        Instant now = account.clock.instant();
        boolean admitted = admits(person, door, now);
        String name = (person.path("first_name").asText("") + " " + person.path("last_name").asText("")).strip();
        String card = account.credentialsOf(personId).stream()
                .filter(c -> account.kindOf(c) == DoorFlowSimulator.CredentialKind.CARD)
                .map(c -> Account.textOrNull(c, "value")).findFirst().orElse(null);
        long id = nextId++;
        String at = account.now();
        ObjectNode event = account.json.createObjectNode().put("id", id).put("event_id", id)
                .put("event_code", admitted ? ADMITTED_BY_CARD : REJECTED_UNAUTHORIZED)
                .put("event_label", name + (admitted ? " admitted using card" : " rejected: not authorized"))
                .put("door_controller_id", door.id()).put("door_controller_name", door.name())
                .put("channel_id", door.id()).put("channel_name", door.name()).put("person_id", personId)
                .put("person_name", name).put("credentials_number", card).put("created_at", at).put("updated_at", at);
        events.add(event);
        return event;
    }

    private static boolean admits(ObjectNode person, Door door, Instant now) {
        if (Account.deleted(person) || !person.path("enabled").asBoolean(true)) {
            return false;
        }
        String from = Account.textOrNull(person, "valid_from");
        String to = Account.textOrNull(person, "valid_to");
        if (from != null && OffsetDateTime.parse(from).toInstant().isAfter(now)
                || to != null && OffsetDateTime.parse(to).toInstant().isBefore(now)) {
            return false;
        }
        for (var group : person.path("groups")) {
            if (door.groupIds().contains(group.asLong())) {
                return true;
            }
        }
        return false;
    }

    /** GET /api/3/events; {@code lacksScope}: an OAuth token without {@link #SCOPE}, which DoorFlow refuses. */
    Response list(Request r, boolean lacksScope) {
        if (lacksScope) {
            return Http.error(403, "forbidden", "This action requires the " + SCOPE + " scope");
        }
        Instant since;
        try {
            since = r.param("since") == null ? account.clock.instant().minus(DEFAULT_WINDOW)
                    : OffsetDateTime.parse(r.param("since")).toInstant();
        } catch (DateTimeParseException e) {
            return Http.error(400, "bad_request", "since is not a date-time: " + r.param("since"));
        }
        Predicate<Integer> codes;
        if (r.param("event_codes") == null) {
            codes = AccessEvents::accessEvent;
        } else {
            Set<Integer> asked = new java.util.HashSet<>();
            List<String> invalid = new ArrayList<>();
            for (String code : r.param("event_codes").split(",")) {
                try {
                    int c = Integer.parseInt(code.strip());
                    if (listable(c)) {
                        asked.add(c);
                    } else {
                        invalid.add(code.strip());
                    }
                } catch (NumberFormatException e) {
                    invalid.add(code.strip());
                }
            }
            if (!invalid.isEmpty()) {
                return Http.error(400, "bad_request", "The following event codes are not valid for this method: "
                        + String.join(", ", invalid));
            }
            codes = asked::contains;
        }
        List<ObjectNode> matching = new ArrayList<>();
        for (ObjectNode e : events) {
            boolean recent = !Instant.parse(e.get("created_at").asText()).isBefore(since);
            if (recent && codes.test(e.get("event_code").asInt())) {
                matching.add(e);
            }
        }
        if (!"ASC".equals(r.param("sort"))) {
            matching.sort(Comparator.comparing((ObjectNode e) -> e.get("id").asLong()).reversed());
        }
        int perPage = Math.min(MAX_PER_PAGE, Math.max(1, r.intParam("n", 50)));
        int page = Math.max(1, r.intParam("page", 1));
        var body = account.json.createArrayNode();
        matching.subList(Math.min(matching.size(), (page - 1) * perPage), Math.min(matching.size(), page * perPage))
                .forEach(e -> body.add(e.deepCopy()));
        var headers = new LinkedHashMap<String, String>();
        headers.put("Total", String.valueOf(matching.size()));
        headers.put("Per-Page", String.valueOf(perPage));
        return new Response(200, headers, body);
    }

    /** Admits (10-18, 70) and rejects (20-29, 71-73): what DoorFlow lists when no event_codes are given. */
    static boolean accessEvent(int code) {
        return code >= 10 && code <= 29 && code != 19 || code >= 70 && code <= 73;
    }

    /** The codes openapi.yaml allows in event_codes. */
    private static boolean listable(int code) {
        return accessEvent(code) || code >= 1 && code <= 3 || code >= 30 && code <= 37 || code >= 40 && code <= 42
                || code == 90 || code == 91 || code >= 100 && code <= 107 || code == 220 || code >= 223 && code <= 225;
    }

    List<ObjectNode> all() {
        return events;
    }
}
