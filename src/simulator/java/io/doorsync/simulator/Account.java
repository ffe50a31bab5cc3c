package io.doorsync.simulator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The state of one simulated DoorFlow account: people, groups, credential types and credentials, as DoorFlow
 * stores them (JSON in openapi.yaml's shapes). Not thread-safe on its own: {@link DoorFlowSimulator} serializes
 * every request and every arrangement.
 */
final class Account {

    /** How DoorFlow treats a credential type: value rules and deletion. */
    record CredentialTypeDef(long id, String label, String slug, Integer code, DoorFlowSimulator.CredentialKind kind) {
    }

    final ObjectMapper json;
    final Clock clock;
    final TreeMap<Long, ObjectNode> people = new TreeMap<>();
    /** Kept up to date by {@link PeopleEndpoints} on every change to a person. */
    final PeopleIndex peopleIndex = new PeopleIndex();
    final TreeMap<Long, ObjectNode> groups = new TreeMap<>();
    final TreeMap<Long, CredentialTypeDef> credentialTypes = new TreeMap<>();
    /** Credentials by id, in issue order; the stored node carries the value. */
    final LinkedHashMap<String, ObjectNode> credentials = new LinkedHashMap<>();
    /** Kept up to date with {@link #credentials} by every change to a credential. */
    final CredentialIndex credentialIndex = new CredentialIndex();
    /** When each phone still "revoking" was deleted (DoorFlow finishes the revocation some time later). */
    final LinkedHashMap<String, Instant> revokingSince = new LinkedHashMap<>();
    /** The account's id, as GET /api/3/account reports it (OAuth token info reports the OAuth app's). */
    String id = "acc_demo01";
    long nextPersonId = 1000;
    long nextCredentialNumber = 1;
    int mobileLicences = Integer.MAX_VALUE;
    Duration syncRateLimit;
    Instant lastSync;

    Account(ObjectMapper json, Clock clock, Duration syncRateLimit) {
        this.json = json;
        this.clock = clock;
        this.syncRateLimit = syncRateLimit;
    }

    void clear() {
        id = "acc_demo01";
        people.clear();
        peopleIndex.clear();
        groups.clear();
        credentialTypes.clear();
        credentials.clear();
        credentialIndex.clear();
        revokingSince.clear();
        mobileLicences = Integer.MAX_VALUE;
        lastSync = null;
    }

    /** GET /api/3/account: the account the caller's credentials belong to (openapi.yaml's Account). */
    Http.Response describe() {
        var body = json.createObjectNode().put("id", id).put("name", "Demo coworking").put("time_zone", "Europe/London")
                .put("monitored", false);
        body.putObject("sync").put("status", "complete").putNull("last_sync");
        body.putObject("user").put("id", 4242).put("first_name", "Demo").put("last_name", "Admin")
                .put("email", "admin@example.com");
        body.putObject("passport").put("remote_unlock_enabled", false).put("hid_mobile_access", true);
        return Http.ok(200, body);
    }

    void addGroup(long id, String name) {
        ObjectNode g = json.createObjectNode();
        String now = now();
        g.put("id", id).put("name", name).putNull("notes").put("global_across_sites", false)
                .put("created_at", now).put("updated_at", now);
        groups.put(id, g);
    }

    /** How DoorFlow treats a stored credential's type. */
    DoorFlowSimulator.CredentialKind kindOf(ObjectNode credential) {
        return credentialTypes.get(credential.get("credential_type_id").asLong()).kind();
    }

    /** A person's credentials, in issue order. */
    List<ObjectNode> credentialsOf(long personId) {
        return credentialIndex.ofPerson(personId).stream().map(credentials::get).toList();
    }

    /** Removes a credential from the account (a card or PIN deleted, or freed with its person). */
    void removeCredential(ObjectNode credential) {
        credentialIndex.removed(credential, kindOf(credential));
        credentials.remove(credential.get("id").asText());
    }

    /** A live (not deleted) person, or null. */
    ObjectNode livePerson(long id) {
        ObjectNode p = people.get(id);
        return p == null || deleted(p) ? null : p;
    }

    /** DoorFlow's timestamps, in UTC, always with their seconds (RFC 3339; OffsetDateTime's text drops ":00"). */
    String now() {
        return clock.instant().toString();
    }

    static boolean deleted(ObjectNode p) {
        return p.path("deleted").asBoolean(false);
    }

    static ObjectNode publicView(ObjectNode stored) {
        ObjectNode view = stored.deepCopy();
        view.remove("deleted");
        return view;
    }

    static String textOrNull(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    ObjectNode parseObject(String body) {
        try {
            JsonNode node = body == null || body.isBlank() ? null : json.readTree(body);
            return node instanceof ObjectNode o ? o : null;
        } catch (java.io.IOException e) {
            return null;
        }
    }

    /**
     * One page of {@code all}, DoorFlow's way (page, per_page, skip_pagination; Total and Per-Page headers). Only
     * the records on the page are turned into their {@code view}, so a page of a large account costs its size.
     */
    <T> Http.Response page(Http.Request r, List<T> all, Function<T, JsonNode> view, int defaultPerPage,
            int maxPerPage) {
        int perPage = Math.min(maxPerPage, Math.max(1, r.intParam("per_page", defaultPerPage)));
        int page = Math.max(1, r.intParam("page", 1));
        List<T> slice = "true".equals(r.param("skip_pagination")) ? all
                : all.subList(Math.min(all.size(), (page - 1) * perPage), Math.min(all.size(), page * perPage));
        var body = json.createArrayNode();
        slice.forEach(item -> body.add(view.apply(item)));
        var headers = new LinkedHashMap<String, String>();
        headers.put("Total", String.valueOf(all.size()));
        headers.put("Per-Page", String.valueOf(perPage));
        return new Http.Response(200, headers, body);
    }
}
