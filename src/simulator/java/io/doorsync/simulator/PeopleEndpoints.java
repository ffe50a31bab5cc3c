package io.doorsync.simulator;

import static io.doorsync.simulator.Account.deleted;
import static io.doorsync.simulator.Account.publicView;
import static io.doorsync.simulator.Account.textOrNull;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.doorsync.simulator.Http.Request;
import io.doorsync.simulator.Http.Response;

/** People, groups and the push to doors, with DoorFlow's rules for them (validation, soft delete, rate limit). */
final class PeopleEndpoints {

    private static final int MAX_PER_PAGE = 100;
    private static final int DEFAULT_PER_PAGE = 50;
    /** PersonInput fields stored as given; group_ids and role_ids are mapped to groups and roles. */
    private static final List<String> PLAIN_FIELDS = List.of("first_name", "last_name", "salutation", "job_title",
            "email", "department", "enabled", "telephone", "mobile", "notes", "barcode", "system_id",
            "organisation_id", "custom_1", "custom_2", "custom_3", "custom_4", "custom_5");
    private static final List<String> PERSON_FIELDS = List.of("first_name", "last_name", "salutation", "job_title",
            "email", "organisation_id", "system_id", "department", "valid_from", "valid_to", "image_url",
            "image_thumbnail_url", "telephone", "mobile", "notes", "barcode", "custom_1", "custom_2", "custom_3",
            "custom_4", "custom_5");

    private final Account account;

    PeopleEndpoints(Account account) {
        this.account = account;
    }

    /** Adds a person as if made by hand in DoorFlow; {@code input} uses PersonInput names. No rules checked. */
    long add(ObjectNode input) {
        ObjectNode person = blankPerson(account.nextPersonId++);
        merge(person, input);
        account.people.put(person.get("id").asLong(), person);
        account.peopleIndex.changed(null, person);
        return person.get("id").asLong();
    }

    /** A hand edit in DoorFlow; no rules checked. */
    void edit(long id, ObjectNode input) {
        ObjectNode person = account.people.get(id);
        PeopleIndex.Keys before = PeopleIndex.keysOf(person);
        merge(person, input);
        account.peopleIndex.changed(before, person);
    }

    Response list(Request r) {
        String email = r.param("email");
        String systemId = r.param("system_id");
        Instant since = null;
        if (r.param("since_utc") != null) {
            try {
                since = OffsetDateTime.parse(r.param("since_utc")).toInstant();
            } catch (DateTimeParseException e) {
                return Http.unprocessable("since_utc", "is not a valid date-time");
            }
        }
        List<ObjectNode> matching = new ArrayList<>();
        // system_id and since_utc have indexes that give the candidates (in id order); the email filter alone,
        // or a since_utc that most people match, walks the account in id order.
        Set<Long> changed = systemId == null && since != null ? account.peopleIndex.changedSince(since) : null;
        Iterable<ObjectNode> candidates = systemId != null
                ? account.peopleIndex.withSystemId(systemId).stream().map(account.people::get).toList()
                : changed != null ? changed.stream().map(account.people::get).toList() : account.people.values();
        for (ObjectNode p : candidates) {
            if (deleted(p)) {
                continue;
            }
            // DoorFlow's email filter is a case-insensitive *partial* match; system_id is exact.
            if (email != null && (textOrNull(p, "email") == null
                    || !textOrNull(p, "email").toLowerCase(Locale.ROOT).contains(email.toLowerCase(Locale.ROOT)))) {
                continue;
            }
            if (systemId != null && !systemId.equals(textOrNull(p, "system_id"))) {
                continue;
            }
            if (since != null && !account.peopleIndex.changedSince(p.get("id").asLong(), since)) {
                continue;
            }
            matching.add(p);
        }
        return account.page(r, matching, Account::publicView, DEFAULT_PER_PAGE, MAX_PER_PAGE);
    }

    Response get(long id) {
        ObjectNode p = account.livePerson(id);
        return p == null ? Http.notFound() : Http.ok(200, publicView(p));
    }

    Response create(Request r) {
        ObjectNode input = account.parseObject(r.body());
        if (input == null) {
            return Http.unprocessable("base", "request body must be a JSON object");
        }
        ObjectNode candidate = blankPerson(account.nextPersonId);
        Response invalid = mergeAndValidate(candidate, input);
        if (invalid != null) {
            return invalid;
        }
        account.nextPersonId++;
        account.people.put(candidate.get("id").asLong(), candidate);
        account.peopleIndex.changed(null, candidate);
        return Http.ok(201, publicView(candidate));
    }

    Response update(long id, Request r) {
        ObjectNode existing = account.livePerson(id);
        if (existing == null) {
            return Http.notFound();
        }
        ObjectNode input = account.parseObject(r.body());
        if (input == null) {
            return Http.unprocessable("base", "request body must be a JSON object");
        }
        ObjectNode candidate = existing.deepCopy();
        Response invalid = mergeAndValidate(candidate, input);
        if (invalid != null) {
            return invalid;
        }
        account.people.put(id, candidate);
        account.peopleIndex.changed(PeopleIndex.keysOf(existing), candidate);
        return Http.ok(201, publicView(candidate)); // DoorFlow answers 201 to an update
    }

    Response delete(long id) {
        ObjectNode p = account.livePerson(id);
        if (p == null) {
            return Http.notFound();
        }
        PeopleIndex.Keys before = PeopleIndex.keysOf(p);
        p.put("deleted", true);
        p.put("updated_at", account.now());
        account.peopleIndex.changed(before, p);
        // A deleted person's cards and PINs are freed; its phone credentials are revoked.
        for (ObjectNode c : account.credentialsOf(id)) {
            if (c.has("status")) {
                c.put("status", "revoked");
            } else {
                account.removeCredential(c);
            }
        }
        return Http.ok(200, account.json.createObjectNode().put("result", "ok"));
    }

    Response listGroups() {
        ArrayNode body = account.json.createArrayNode();
        account.groups.values().stream().sorted((a, b) -> a.get("name").asText().compareTo(b.get("name").asText()))
                .forEach(body::add);
        return Http.ok(200, body);
    }

    /** POST /api/3/sync: DoorFlow rate-limits the push to door controllers and says when to come back. */
    Response pushToDoors() {
        Instant now = account.clock.instant();
        Instant last = account.lastSync;
        if (last != null && now.isBefore(last.plus(account.syncRateLimit))) {
            return Http.rateLimited(Math.max(1, Duration.between(now, last.plus(account.syncRateLimit)).toSeconds()));
        }
        account.lastSync = now;
        return Http.ok(200, account.json.createObjectNode().put("result", "ok"));
    }

    private Response mergeAndValidate(ObjectNode person, ObjectNode input) {
        Map<String, List<String>> errors = new LinkedHashMap<>();
        for (String field : List.of("valid_from", "valid_to")) {
            JsonNode v = input.get(field);
            if (v != null && !v.isNull()) {
                try {
                    OffsetDateTime.parse(v.asText());
                } catch (DateTimeParseException e) {
                    errors.computeIfAbsent(field, k -> new ArrayList<>()).add("is not a valid date-time");
                }
            }
        }
        if (input.has("group_ids") && input.get("group_ids").isArray()) {
            for (JsonNode g : input.get("group_ids")) {
                if (!account.groups.containsKey(g.asLong())) {
                    errors.computeIfAbsent("group_ids", k -> new ArrayList<>()).add("group " + g.asText() + " not found");
                }
            }
        }
        String imageProblem = PersonImages.problem(input);
        if (imageProblem != null) {
            errors.computeIfAbsent("image", k -> new ArrayList<>()).add(imageProblem);
        }
        if (!errors.isEmpty()) {
            return Http.unprocessable(errors);
        }
        merge(person, input);
        for (String required : List.of("first_name", "last_name")) {
            String v = textOrNull(person, required);
            if (v == null || v.isBlank()) {
                errors.computeIfAbsent(required, k -> new ArrayList<>()).add("can't be blank");
            }
        }
        String email = textOrNull(person, "email");
        if (email != null) {
            long self = person.get("id").asLong();
            boolean taken = account.peopleIndex.withEmail(email).stream().anyMatch(id -> id != self);
            if (taken) {
                errors.computeIfAbsent("email", k -> new ArrayList<>()).add("has already been taken");
            }
        }
        return errors.isEmpty() ? null : Http.unprocessable(errors);
    }

    private void merge(ObjectNode person, ObjectNode input) {
        for (String field : PLAIN_FIELDS) {
            if (input.has(field)) {
                person.set(field, input.get(field));
            }
        }
        for (String field : List.of("valid_from", "valid_to")) {
            if (input.has(field)) {
                JsonNode v = input.get(field);
                // An Instant's text always carries the seconds; OffsetDateTime's drops ":00", which RFC 3339 forbids.
                person.set(field, v == null || v.isNull() ? account.json.nullNode()
                        : account.json.getNodeFactory().textNode(OffsetDateTime.parse(v.asText()).toInstant().toString()));
            }
        }
        if (input.has("group_ids")) {
            ArrayNode ids = account.json.createArrayNode();
            Set<Long> seen = new HashSet<>();
            input.get("group_ids").forEach(g -> {
                if (seen.add(g.asLong())) {
                    ids.add(g.asLong());
                }
            });
            person.set("groups", ids);
        }
        PersonImages.merge(person, input);
        if (input.has("role_ids")) {
            person.set("roles", input.get("role_ids").deepCopy());
        }
        if (!person.has("enabled") || person.get("enabled").isNull()) {
            person.put("enabled", true);
        }
        person.put("updated_at", account.now());
    }

    private ObjectNode blankPerson(long id) {
        ObjectNode p = account.json.createObjectNode();
        p.put("id", id);
        PERSON_FIELDS.forEach(p::putNull);
        p.put("enabled", true);
        String now = account.now();
        p.put("created_at", now).put("updated_at", now);
        p.putArray("groups");
        p.putArray("roles");
        return p;
    }
}
