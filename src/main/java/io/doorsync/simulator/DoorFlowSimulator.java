package io.doorsync.simulator;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A stateful, in-memory DoorFlow account that answers the people, groups and sync parts of openapi.yaml the
 * way DoorFlow does. HTTP-agnostic on purpose: {@link SimulatorServer} binds it to a port, tests drive it
 * directly to arrange state, inject faults and count the calls doorsync makes.
 */
public class DoorFlowSimulator {

    public record Request(String method, String path, Map<String, List<String>> query, Map<String, String> headers,
            String body) {
        String param(String name) {
            List<String> values = query.get(name);
            return values == null || values.isEmpty() ? null : values.get(0);
        }
    }

    /** A JSON answer ({@code body}), a text/plain one ({@code text}), or none. */
    public record Response(int status, Map<String, String> headers, JsonNode body, String text) {
        public Response(int status, Map<String, String> headers, JsonNode body) {
            this(status, headers, body, null);
        }
    }

    /** How DoorFlow treats a credential type: value rules and deletion. */
    public enum CredentialKind {
        /** A card number, unique within the account. */
        CARD,
        /** 4 to 7 digits, unique within the account; "******" asks DoorFlow to generate one. */
        PIN,
        /** A phone credential: no value, an invitation status, a licence each, revoked asynchronously. */
        MOBILE
    }

    private record CredentialTypeDef(long id, String label, String slug, Integer code, CredentialKind kind) {
    }

    /** One request and the answer it got, kept when exchange recording is on. */
    public record Exchange(Request request, Response response) {
    }

    private static final Pattern PERSON_PATH = Pattern.compile("^/api/3/people/(\\d+)$");
    private static final Pattern PERSON_CREDENTIALS_PATH = Pattern.compile("^/api/3/people/(\\d+)/credentials$");
    private static final Pattern PERSON_CREDENTIAL_PATH = Pattern.compile("^/api/3/people/(\\d+)/credentials/([^/]+)$");
    private static final Pattern PIN_VALUE = Pattern.compile("^\\d{4,7}$");
    private static final int MAX_CREDENTIALS_PER_PAGE = 500;
    private static final int MAX_PER_PAGE = 100;
    private static final int DEFAULT_PER_PAGE = 50;
    private static final int MAX_RECORDED = 20_000;
    /** PersonInput fields stored as given; group_ids and role_ids are mapped to groups and roles. */
    private static final List<String> PLAIN_FIELDS = List.of("first_name", "last_name", "salutation", "job_title",
            "email", "department", "enabled", "telephone", "mobile", "notes", "barcode", "system_id",
            "organisation_id", "custom_1", "custom_2", "custom_3", "custom_4", "custom_5");

    private final ObjectMapper json;
    private final Clock clock;
    private final Set<String> apiKeys = ConcurrentHashMap.newKeySet();
    private final Set<String> accessTokens = ConcurrentHashMap.newKeySet();
    private final boolean recordExchanges;
    private Duration syncRateLimit;

    private final TreeMap<Long, ObjectNode> people = new TreeMap<>();
    private final TreeMap<Long, ObjectNode> groups = new TreeMap<>();
    private long nextPersonId = 1000;
    private final TreeMap<Long, CredentialTypeDef> credentialTypes = new TreeMap<>();
    /** Credentials by id, in issue order; the stored node carries the value even for the public view. */
    private final LinkedHashMap<String, ObjectNode> credentials = new LinkedHashMap<>();
    private long nextCredentialNumber = 1;
    private int mobileLicences = Integer.MAX_VALUE;
    private final java.util.Random pinGenerator = new java.util.Random();
    private Instant lastSync;
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final Deque<Exchange> exchanges = new ArrayDeque<>();
    private final List<Fault> faults = new ArrayList<>();

    private record Fault(String route, int status, AtomicInteger remaining) {
    }

    /** Something that happens in DoorFlow right after a request is answered (a colleague editing by hand). */
    private record Aftermath(String route, Runnable action) {
    }

    private final List<Aftermath> aftermaths = new ArrayList<>();
    private String lastRoute;

    public DoorFlowSimulator(ObjectMapper json, Clock clock, List<String> apiKeys, List<String> accessTokens,
            Duration syncRateLimit, boolean recordExchanges) {
        this.json = json;
        this.clock = clock;
        this.apiKeys.addAll(apiKeys);
        this.accessTokens.addAll(accessTokens);
        this.syncRateLimit = syncRateLimit;
        this.recordExchanges = recordExchanges;
    }

    // ---- arranging state (tests, demo seed) ----

    public synchronized void reset() {
        people.clear();
        groups.clear();
        credentialTypes.clear();
        credentials.clear();
        mobileLicences = Integer.MAX_VALUE;
        calls.clear();
        exchanges.clear();
        faults.clear();
        aftermaths.clear();
        lastSync = null;
    }

    public synchronized void addGroup(long id, String name) {
        ObjectNode g = json.createObjectNode();
        String now = now();
        g.put("id", id).put("name", name).putNull("notes").put("global_across_sites", false)
                .put("created_at", now).put("updated_at", now);
        groups.put(id, g);
    }

    /** Adds a person as if made by hand in DoorFlow; {@code fields} uses PersonInput names. Returns its id. */
    public synchronized long addPerson(Map<String, Object> fields) {
        ObjectNode input = json.valueToTree(fields);
        ObjectNode person = blankPerson(nextPersonId++);
        merge(person, input);
        people.put(person.get("id").asLong(), person);
        return person.get("id").asLong();
    }

    /** Applies a PersonInput-shaped change as a hand edit in DoorFlow would. */
    public synchronized void editPerson(long id, Map<String, Object> fields) {
        merge(people.get(id), json.valueToTree(fields));
    }

    public synchronized void addCredentialType(long id, String label, String slug, Integer code,
            CredentialKind kind) {
        credentialTypes.put(id, new CredentialTypeDef(id, label, slug, code, kind));
    }

    /** Issues a credential as if by hand at the front desk; returns its id. No rules are checked. */
    public synchronized String addCredential(long personId, long typeId, String value) {
        CredentialTypeDef type = credentialTypes.get(typeId);
        ObjectNode c = newCredential(personId, type);
        if (type.kind() == CredentialKind.MOBILE) {
            c.put("status", "active");
        } else {
            c.put("value", value);
        }
        return c.get("id").asText();
    }

    /** How many mobile credentials (not revoked) the account's licence allows. */
    public synchronized void setMobileLicenceLimit(int licences) {
        this.mobileLicences = licences;
    }

    /** DoorFlow finishes revoking mobile credentials some time after the 202; this is that moment. */
    public synchronized void completeMobileRevocations() {
        credentials.values().stream().filter(c -> "revoking".equals(textOrNull(c, "status")))
                .forEach(c -> c.put("status", "revoked"));
    }

    /** A person's credentials as DoorFlow lists them (revoked mobile credentials included). */
    public synchronized List<JsonNode> credentialsOf(long personId) {
        return credentials.values().stream().filter(c -> c.get("person_id").asLong() == personId)
                .map(c -> (JsonNode) c.deepCopy()).toList();
    }

    /** The next {@code times} requests to "METHOD /template" (as in {@link #calls()}) get {@code status}. */
    public synchronized void failNext(String route, int status, int times) {
        faults.add(new Fault(route, status, new AtomicInteger(times)));
    }

    /** Runs {@code action} once, right after the next request to "METHOD /template" has been answered. */
    public synchronized void afterNext(String route, Runnable action) {
        aftermaths.add(new Aftermath(route, action));
    }

    public synchronized void setSyncRateLimit(Duration window) {
        this.syncRateLimit = window;
    }

    // ---- observing ----

    /** Live (not deleted) people, as DoorFlow would return them. */
    public synchronized List<JsonNode> people() {
        return people.values().stream().filter(p -> !deleted(p)).map(p -> (JsonNode) publicView(p)).toList();
    }

    public synchronized JsonNode person(long id) {
        ObjectNode p = people.get(id);
        return p == null ? null : publicView(p);
    }

    public synchronized boolean isDeleted(long id) {
        ObjectNode p = people.get(id);
        return p != null && deleted(p);
    }

    /** Calls received, keyed "METHOD /api/3/people/{id}" and so on. */
    public Map<String, Integer> calls() {
        Map<String, Integer> copy = new TreeMap<>();
        calls.forEach((k, v) -> copy.put(k, v.get()));
        return copy;
    }

    public int calls(String route) {
        AtomicInteger n = calls.get(route);
        return n == null ? 0 : n.get();
    }

    public void clearCalls() {
        calls.clear();
    }

    public synchronized List<Exchange> exchanges() {
        return List.copyOf(exchanges);
    }

    public synchronized void clearExchanges() {
        exchanges.clear();
    }

    // ---- the API ----

    public synchronized Response handle(Request request) {
        Response response = route(request);
        for (var it = aftermaths.iterator(); it.hasNext();) {
            Aftermath next = it.next();
            if (next.route().equals(lastRoute)) {
                it.remove();
                next.action().run();
            }
        }
        if (recordExchanges) {
            if (exchanges.size() >= MAX_RECORDED) {
                exchanges.removeFirst();
            }
            exchanges.addLast(new Exchange(request, response));
        }
        return response;
    }

    private Response route(Request r) {
        String path = r.path().length() > 1 && r.path().endsWith("/") ? r.path().substring(0, r.path().length() - 1)
                : r.path();
        Matcher person = PERSON_PATH.matcher(path);
        Matcher personCredentials = PERSON_CREDENTIALS_PATH.matcher(path);
        Matcher personCredential = PERSON_CREDENTIAL_PATH.matcher(path);
        String template = person.matches() ? "/api/3/people/{id}"
                : personCredentials.matches() ? "/api/3/people/{person_id}/credentials"
                        : personCredential.matches() ? "/api/3/people/{person_id}/credentials/{id}" : path;
        String route = r.method() + " " + template;
        lastRoute = route;
        calls.computeIfAbsent(route, k -> new AtomicInteger()).incrementAndGet();

        if (!authenticated(r.headers().get("authorization"))) {
            return error(401, "unauthorized", "The access token is invalid");
        }
        Response injected = injectedFault(route);
        if (injected != null) {
            return injected;
        }
        return switch (route) {
            case "GET /api/3/people" -> listPeople(r);
            case "POST /api/3/people" -> createPerson(r);
            case "GET /api/3/people/{id}" -> getPerson(Long.parseLong(person.group(1)));
            case "PUT /api/3/people/{id}" -> updatePerson(Long.parseLong(person.group(1)), r);
            case "DELETE /api/3/people/{id}" -> deletePerson(Long.parseLong(person.group(1)));
            case "GET /api/3/groups" -> listGroups();
            case "POST /api/3/sync" -> sync();
            case "GET /api/3/credential_types" -> page(r, credentialTypes.values().stream()
                    .map(this::credentialTypeView).toList(), MAX_CREDENTIALS_PER_PAGE, MAX_CREDENTIALS_PER_PAGE);
            case "GET /api/3/credentials" -> page(r, credentials.values().stream().map(this::credentialView)
                    .toList(), MAX_CREDENTIALS_PER_PAGE, MAX_CREDENTIALS_PER_PAGE);
            case "GET /api/3/people/{person_id}/credentials" -> {
                long personId = Long.parseLong(personCredentials.group(1));
                yield page(r, credentials.values().stream().filter(c -> c.get("person_id").asLong() == personId)
                        .map(this::credentialView).toList(), MAX_CREDENTIALS_PER_PAGE, MAX_CREDENTIALS_PER_PAGE);
            }
            case "POST /api/3/people/{person_id}/credentials" ->
                createCredential(Long.parseLong(personCredentials.group(1)), r);
            case "GET /api/3/people/{person_id}/credentials/{id}" -> {
                ObjectNode c = credentialOf(Long.parseLong(personCredential.group(1)), personCredential.group(2));
                yield c == null ? notFound() : ok(200, credentialView(c));
            }
            case "PUT /api/3/people/{person_id}/credentials/{id}" ->
                updateCredential(Long.parseLong(personCredential.group(1)), personCredential.group(2), r);
            case "DELETE /api/3/people/{person_id}/credentials/{id}" ->
                deleteCredential(Long.parseLong(personCredential.group(1)), personCredential.group(2));
            default -> error(404, "not_found", "The requested resource was not found");
        };
    }

    private boolean authenticated(String authorization) {
        if (authorization == null) {
            return false;
        }
        if (authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return accessTokens.contains(authorization.substring(7).trim());
        }
        if (authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()),
                        StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                return apiKeys.contains(colon < 0 ? decoded : decoded.substring(0, colon));
            } catch (IllegalArgumentException notBase64) {
                return false;
            }
        }
        return false;
    }

    private Response injectedFault(String route) {
        for (Fault f : faults) {
            if (f.route().equals(route) && f.remaining().getAndDecrement() > 0) {
                return switch (f.status()) {
                    case 429 -> rateLimited(30);
                    case 422 -> unprocessable("email", "has already been taken");
                    case 401 -> error(401, "unauthorized", "The access token is invalid");
                    case 403 -> error(403, "forbidden", "You are not authorized to access this resource");
                    case 404 -> notFound();
                    default -> error(f.status(), "internal_server_error", "An unexpected error occurred");
                };
            }
        }
        return null;
    }

    private Response listPeople(Request r) {
        String email = r.param("email");
        String systemId = r.param("system_id");
        Instant since = null;
        if (r.param("since_utc") != null) {
            try {
                since = OffsetDateTime.parse(r.param("since_utc")).toInstant();
            } catch (DateTimeParseException e) {
                return unprocessable("since_utc", "is not a valid date-time");
            }
        }
        List<ObjectNode> matching = new ArrayList<>();
        for (ObjectNode p : people.values()) {
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
            if (since != null && Instant.parse(p.get("updated_at").asText()).isBefore(since)) {
                continue;
            }
            matching.add(p);
        }
        return page(r, matching.stream().map(this::publicView).toList(), DEFAULT_PER_PAGE, MAX_PER_PAGE);
    }

    /** One page of a listing, with DoorFlow's Total and Per-Page headers. */
    private Response page(Request r, List<? extends JsonNode> all, int defaultPerPage, int maxPerPage) {
        int perPage = Math.min(maxPerPage, Math.max(1, intParam(r, "per_page", defaultPerPage)));
        int page = Math.max(1, intParam(r, "page", 1));
        List<? extends JsonNode> slice = "true".equals(r.param("skip_pagination")) ? all
                : all.subList(Math.min(all.size(), (page - 1) * perPage), Math.min(all.size(), page * perPage));
        ArrayNode body = json.createArrayNode();
        slice.forEach(body::add);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Total", String.valueOf(all.size()));
        headers.put("Per-Page", String.valueOf(perPage));
        return new Response(200, headers, body);
    }

    private Response getPerson(long id) {
        ObjectNode p = people.get(id);
        return p == null || deleted(p) ? notFound() : ok(200, publicView(p));
    }

    private Response createPerson(Request r) {
        ObjectNode input = parseObject(r.body());
        if (input == null) {
            return unprocessable("base", "request body must be a JSON object");
        }
        ObjectNode candidate = blankPerson(nextPersonId);
        Response invalid = mergeAndValidate(candidate, input);
        if (invalid != null) {
            return invalid;
        }
        nextPersonId++;
        people.put(candidate.get("id").asLong(), candidate);
        return ok(201, publicView(candidate));
    }

    private Response updatePerson(long id, Request r) {
        ObjectNode existing = people.get(id);
        if (existing == null || deleted(existing)) {
            return notFound();
        }
        ObjectNode input = parseObject(r.body());
        if (input == null) {
            return unprocessable("base", "request body must be a JSON object");
        }
        ObjectNode candidate = existing.deepCopy();
        Response invalid = mergeAndValidate(candidate, input);
        if (invalid != null) {
            return invalid;
        }
        people.put(id, candidate);
        return ok(201, publicView(candidate)); // DoorFlow answers 201 to an update
    }

    private Response deletePerson(long id) {
        ObjectNode p = people.get(id);
        if (p == null || deleted(p)) {
            return notFound();
        }
        p.put("deleted", true);
        p.put("updated_at", now());
        // A deleted person's cards and PINs are freed; its phone credentials are revoked.
        credentials.values().removeIf(c -> c.get("person_id").asLong() == id && !c.has("status"));
        credentials.values().stream().filter(c -> c.get("person_id").asLong() == id)
                .forEach(c -> c.put("status", "revoked"));
        return ok(200, json.createObjectNode().put("result", "ok"));
    }

    // ---- credentials ----

    private Response createCredential(long personId, Request r) {
        ObjectNode person = people.get(personId);
        if (person == null || deleted(person)) {
            return new Response(422, Map.of(), json.createObjectNode().put("error", "Person not found"));
        }
        ObjectNode input = parseObject(r.body());
        JsonNode fields = input == null ? null : input.get("person_credential");
        if (fields == null || !fields.isObject() || !fields.path("credential_type_id").canConvertToLong()) {
            return credentialInvalid("credential_type_id", "can't be blank");
        }
        CredentialTypeDef type = credentialTypes.get(fields.get("credential_type_id").asLong());
        if (type == null) {
            return credentialInvalid("credential_type_id", "Not found for this account");
        }
        ObjectNode existing = credentials.values().stream()
                .filter(c -> c.get("person_id").asLong() == personId && c.get("credential_type_id").asLong() == type.id()
                        && !revoked(c))
                .findFirst().orElse(null);
        if (existing != null) {
            return ok(409, credentialView(existing)); // one credential per type per person
        }
        String value = textOrNull(fields, "value");
        if (type.kind() == CredentialKind.MOBILE) {
            long inUse = credentials.values().stream().filter(c -> c.has("status") && !revoked(c)).count();
            if (inUse >= mobileLicences) {
                return new Response(422, Map.of(), json.createObjectNode().put("error", "Validation failed")
                        .set("errors", json.createObjectNode().put("limit_reached",
                                "You have reached your HID Mobile licence limit. Please contact DoorFlow Support.")));
            }
            ObjectNode c = newCredential(personId, type);
            c.put("status", "invited");
            return ok(201, credentialView(c));
        }
        if (type.kind() == CredentialKind.PIN && "******".equals(value)) {
            value = generatePin(type.id());
        }
        Response invalid = checkValue(type, value, null);
        if (invalid != null) {
            return invalid;
        }
        ObjectNode c = newCredential(personId, type);
        c.put("value", value);
        return ok(201, credentialView(c));
    }

    private Response updateCredential(long personId, String id, Request r) {
        ObjectNode c = credentialOf(personId, id);
        if (c == null) {
            return notFound();
        }
        ObjectNode input = parseObject(r.body());
        JsonNode fields = input == null ? null : input.get("person_credential");
        String value = fields == null ? null : textOrNull(fields, "value");
        CredentialTypeDef type = credentialTypes.get(c.get("credential_type_id").asLong());
        if (type.kind() == CredentialKind.MOBILE) {
            return credentialInvalid("value", "cannot be set on a mobile credential");
        }
        if (type.kind() == CredentialKind.PIN && "******".equals(value)) {
            value = generatePin(type.id());
        }
        Response invalid = checkValue(type, value, id);
        if (invalid != null) {
            return invalid;
        }
        c.put("value", value);
        return ok(201, credentialView(c));
    }

    private Response deleteCredential(long personId, String id) {
        ObjectNode c = credentialOf(personId, id);
        if (c == null) {
            return notFound();
        }
        if (c.has("status")) {
            if (!revoked(c)) {
                c.put("status", "revoking"); // DoorFlow revokes phone credentials asynchronously
            }
            return new Response(202, Map.of(), null, "Credential deletion accepted");
        }
        credentials.remove(id);
        return new Response(200, Map.of(), null, "Credential deleted");
    }

    /** Cards and PINs: present, PINs 4-7 digits, and unique within the account for their kind. */
    private Response checkValue(CredentialTypeDef type, String value, String selfId) {
        if (value == null || value.isBlank()) {
            return credentialInvalid("value", "can't be blank");
        }
        if (type.kind() == CredentialKind.PIN && !PIN_VALUE.matcher(value).matches()) {
            return credentialInvalid("value", "must be between 4 and 7 digits in length");
        }
        boolean taken = credentials.values().stream()
                .anyMatch(c -> !c.get("id").asText().equals(selfId) && value.equals(textOrNull(c, "value"))
                        && credentialTypes.get(c.get("credential_type_id").asLong()).kind() == type.kind());
        return taken ? credentialInvalid("value", "value is already in use on your account") : null;
    }

    private String generatePin(long typeId) {
        Set<String> taken = new HashSet<>();
        credentials.values().forEach(c -> taken.add(textOrNull(c, "value")));
        String pin;
        do {
            pin = String.format("%06d", pinGenerator.nextInt(1_000_000));
        } while (taken.contains(pin));
        return pin;
    }

    private ObjectNode newCredential(long personId, CredentialTypeDef type) {
        ObjectNode c = json.createObjectNode();
        String id = "cr" + Long.toString(36L * 36 * 36 + nextCredentialNumber++, 36);
        c.put("id", id).put("credential_type_id", type.id()).put("label", type.label()).put("person_id", personId);
        credentials.put(id, c);
        return c;
    }

    private ObjectNode credentialOf(long personId, String id) {
        ObjectNode c = credentials.get(id);
        return c == null || c.get("person_id").asLong() != personId ? null : c;
    }

    private static boolean revoked(ObjectNode c) {
        String status = textOrNull(c, "status");
        return "revoking".equals(status) || "revoked".equals(status);
    }

    private JsonNode credentialView(ObjectNode stored) {
        return stored.deepCopy();
    }

    private JsonNode credentialTypeView(CredentialTypeDef t) {
        ObjectNode view = json.createObjectNode().put("id", t.id()).put("label", t.label()).put("slug", t.slug());
        if (t.code() == null) {
            view.putNull("code");
        } else {
            view.put("code", t.code());
        }
        return view;
    }

    private Response credentialInvalid(String field, String message) {
        return new Response(422, Map.of(), json.createObjectNode().put("error", "Validation failed")
                .set("errors", json.createObjectNode().set(field, json.createArrayNode().add(message))));
    }

    private Response listGroups() {
        ArrayNode body = json.createArrayNode();
        groups.values().stream().sorted((a, b) -> a.get("name").asText().compareTo(b.get("name").asText()))
                .forEach(body::add);
        return ok(200, body);
    }

    private Response sync() {
        Instant now = clock.instant();
        if (lastSync != null && now.isBefore(lastSync.plus(syncRateLimit))) {
            long wait = Math.max(1, Duration.between(now, lastSync.plus(syncRateLimit)).toSeconds());
            return rateLimited(wait);
        }
        lastSync = now;
        return ok(200, json.createObjectNode().put("result", "ok"));
    }

    // ---- rules ----

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
                if (!groups.containsKey(g.asLong())) {
                    errors.computeIfAbsent("group_ids", k -> new ArrayList<>()).add("group " + g.asText() + " not found");
                }
            }
        }
        if (!errors.isEmpty()) {
            return unprocessable(errors);
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
            boolean taken = people.values().stream()
                    .anyMatch(p -> !deleted(p) && p.get("id").asLong() != self && email.equalsIgnoreCase(textOrNull(p, "email")));
            if (taken) {
                errors.computeIfAbsent("email", k -> new ArrayList<>()).add("has already been taken");
            }
        }
        return errors.isEmpty() ? null : unprocessable(errors);
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
                person.set(field, v == null || v.isNull() ? json.nullNode()
                        : json.getNodeFactory().textNode(OffsetDateTime.parse(v.asText())
                                .withOffsetSameInstant(ZoneOffset.UTC).toString()));
            }
        }
        if (input.has("group_ids")) {
            ArrayNode ids = json.createArrayNode();
            Set<Long> seen = new HashSet<>();
            input.get("group_ids").forEach(g -> {
                if (seen.add(g.asLong())) {
                    ids.add(g.asLong());
                }
            });
            person.set("groups", ids);
        }
        if (input.has("role_ids")) {
            person.set("roles", input.get("role_ids").deepCopy());
        }
        if (!person.has("enabled") || person.get("enabled").isNull()) {
            person.put("enabled", true);
        }
        person.put("updated_at", now());
    }

    private ObjectNode blankPerson(long id) {
        ObjectNode p = json.createObjectNode();
        p.put("id", id);
        for (String f : List.of("first_name", "last_name", "salutation", "job_title", "email", "organisation_id",
                "system_id", "department", "valid_from", "valid_to", "image_url", "image_thumbnail_url", "telephone",
                "mobile", "notes", "barcode", "custom_1", "custom_2", "custom_3", "custom_4", "custom_5")) {
            p.putNull(f);
        }
        p.put("enabled", true);
        String now = now();
        p.put("created_at", now).put("updated_at", now);
        p.putArray("groups");
        p.putArray("roles");
        return p;
    }

    private ObjectNode publicView(ObjectNode stored) {
        ObjectNode view = stored.deepCopy();
        view.remove("deleted");
        return view;
    }

    private static boolean deleted(ObjectNode p) {
        return p.path("deleted").asBoolean(false);
    }

    private ObjectNode parseObject(String body) {
        try {
            JsonNode node = body == null || body.isBlank() ? null : json.readTree(body);
            return node instanceof ObjectNode o ? o : null;
        } catch (java.io.IOException e) {
            return null;
        }
    }

    private static String textOrNull(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static int intParam(Request r, String name, int fallback) {
        try {
            return r.param(name) == null ? fallback : Integer.parseInt(r.param(name));
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private String now() {
        return clock.instant().atOffset(ZoneOffset.UTC).toString();
    }

    private Response ok(int status, JsonNode body) {
        return new Response(status, Map.of(), body);
    }

    private Response notFound() {
        return error(404, "not_found", "The requested resource was not found");
    }

    private Response error(int status, String code, String description) {
        return new Response(status, Map.of(),
                json.createObjectNode().put("error", code).put("error_description", description));
    }

    private Response rateLimited(long retryIn) {
        return new Response(429, Map.of(), json.createObjectNode().put("error", "rate_limited")
                .put("description", "Sync rate limit exceeded. Please wait before trying again.")
                .put("retry_in", retryIn));
    }

    private Response unprocessable(String field, String message) {
        return unprocessable(Map.of(field, List.of(message)));
    }

    /**
     * 422 for people. openapi.yaml's UnprocessableEntityError only defines credential fields under errors, so
     * the people validation messages travel in its error string, e.g. "Validation failed: email has already
     * been taken".
     */
    private Response unprocessable(Map<String, List<String>> errors) {
        List<String> messages = new ArrayList<>();
        errors.forEach((field, list) -> list.forEach(m -> messages.add(field + " " + m)));
        return new Response(422, Map.of(),
                json.createObjectNode().put("error", "Validation failed: " + String.join("; ", messages)));
    }

}
