package io.doorsync.simulator;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.doorsync.simulator.Http.Delivery;
import io.doorsync.simulator.Http.Request;
import io.doorsync.simulator.Http.Response;

/**
 * A stateful, in-memory DoorFlow account that answers the people, groups, credentials, events, sync and OAuth
 * parts of openapi.yaml the way DoorFlow does. This class is the front door: it routes a request to its endpoint,
 * checks the caller's credentials, and records what happened; the account's state and DoorFlow's rules live
 * in {@link Account}, {@link PeopleEndpoints}, {@link CredentialEndpoints} and {@link OAuthServer}.
 * HTTP-agnostic on purpose: {@link SimulatorServer} binds it to a port, tests drive it directly to arrange
 * state, inject faults ({@link Faults}) and count the calls doorsync makes ({@link Recorder}).
 */
public class DoorFlowSimulator {

    /** How DoorFlow treats a credential type: value rules and deletion. */
    public enum CredentialKind {
        /** A card number, unique within the account. */
        CARD,
        /** 4 to 7 digits, unique within the account; "******" asks DoorFlow to generate one. */
        PIN,
        /** A phone credential: no value, an invitation status, a licence each, revoked asynchronously. */
        MOBILE
    }

    private final ObjectMapper json;
    private final Set<String> apiKeys = ConcurrentHashMap.newKeySet();
    private final Set<String> accessTokens = ConcurrentHashMap.newKeySet();
    private final Account account;
    private final PeopleEndpoints people;
    private final CredentialEndpoints credentials;
    private final OAuthServer oauth;
    private final Faults faults = new Faults();
    private final Recorder recorder;
    private final SimulatorControl control;
    private final AccessEvents events;
    private final Permissions permissions;
    /** The other DoorFlow accounts it hosts (the control API adds and lists them). */
    final OtherAccounts others;
    private Duration configuredRevocationTime = Duration.ZERO;
    private Duration mobileRevocationTime = Duration.ZERO;

    public DoorFlowSimulator(ObjectMapper json, Clock clock, List<String> apiKeys, List<String> accessTokens,
            Duration syncRateLimit, boolean recordExchanges) {
        this.json = json;
        this.apiKeys.addAll(apiKeys);
        this.accessTokens.addAll(accessTokens);
        this.account = new Account(json, clock, syncRateLimit);
        this.people = new PeopleEndpoints(account);
        this.credentials = new CredentialEndpoints(account);
        this.oauth = new OAuthServer(json, clock);
        this.recorder = new Recorder(recordExchanges);
        this.control = new SimulatorControl(json, this, recorder);
        this.events = new AccessEvents(account);
        this.permissions = new Permissions(oauth);
        this.others = new OtherAccounts(key -> new DoorFlowSimulator(json, clock, List.of(key), List.of(), syncRateLimit,
                recordExchanges));
        oauth.signsInTo(others::oauthServers);
    }

    OAuthServer oauthServer() {
        return oauth;
    }

    // ---- the API ----

    /**
     * Answers one request as DoorFlow, and the network in front of it, would: after the standing faults'
     * latency, and with at most one fault (see {@link FaultRule}). {@code /_simulator/faults} is the control
     * API of those faults (see {@link FaultControl}); it is not DoorFlow's.
     */
    public Delivery deliver(Request request) {
        DoorFlowSimulator other = others.addressedBy(request); // outside this account's lock: accounts run apart
        return other != null ? other.deliver(request) : deliverHere(request);
    }

    private synchronized Delivery deliverHere(Request request) {
        if (request.path().startsWith(SimulatorControl.PREFIX)) {
            return new Delivery(control.handle(request), 0, false);
        }
        Route target = Route.of(request);
        String route = target.key();
        recorder.count(route);
        credentials.completeDueRevocations(mobileRevocationTime);
        Faults.Decision decision = faults.decide(request.method(), route.substring(route.indexOf(' ') + 1));
        if (decision.fault() == Faults.Kind.RESET) {
            return new Delivery(null, decision.delayMillis(), true);
        }
        Response response = decision.fault() == Faults.Kind.RATE_LIMIT
                ? Http.rateLimited(decision.retryIn(), "Rate limit exceeded. Please wait before trying again.")
                : decision.fault() == Faults.Kind.ERROR
                        ? Http.error(decision.status(), "service_unavailable", "DoorFlow is temporarily unavailable")
                        : answer(target, request);
        response = response.withHeader("Date", DateTimeFormatter.RFC_1123_DATE_TIME.format(
                account.clock.instant().atOffset(ZoneOffset.UTC)));
        faults.answered(route);
        if (decision.fault() == null || decision.fault() == Faults.Kind.LOST_ANSWER) {
            recorder.record(route, request, response); // a fault's own answer is the network's, not DoorFlow's
        }
        return new Delivery(response, decision.delayMillis(), decision.fault() == Faults.Kind.LOST_ANSWER);
    }

    /** {@link #deliver} without the network: the answer, or null when the connection closed instead. */
    public Response handle(Request request) {
        Delivery delivery = deliver(request);
        return delivery.connectionClosed() ? null : delivery.response();
    }

    private Response answer(Route target, Request r) {
        String route = target.key();
        if (r.path().startsWith("/oauth/")) {
            return oauth.handle(route, r);
        }
        if (!authenticated(r)) {
            return Http.error(401, "unauthorized", "The access token is invalid");
        }
        Response injected = faults.injected(route);
        if (injected != null) {
            return injected;
        }
        long personId = target.personId();
        String credentialId = target.credentialId();
        Response forbidden = permissions.refusal(route, r, personId);
        if (forbidden != null) {
            return forbidden;
        }
        return switch (route) {
            case "GET /api/3/people" -> people.list(r);
            case "POST /api/3/people" -> people.create(r);
            case "GET /api/3/people/{id}" -> people.get(personId);
            case "PUT /api/3/people/{id}" -> people.update(personId, r);
            case "DELETE /api/3/people/{id}" -> people.delete(personId);
            case "GET /api/3/account" -> account.describe();
            case "GET /api/3/groups" -> people.listGroups();
            case "POST /api/3/sync" -> people.pushToDoors();
            case "GET /api/3/events" -> events.list(r, oauth.lacksScope(r.bearerToken(), AccessEvents.SCOPE));
            case "GET /api/3/credential_types" -> credentials.listTypes(r);
            case "GET /api/3/credentials" -> credentials.listAll(r);
            case "GET /api/3/people/{person_id}/credentials" -> credentials.listOf(personId, r);
            case "POST /api/3/people/{person_id}/credentials" -> credentials.create(personId, r);
            case "GET /api/3/people/{person_id}/credentials/{id}" -> credentials.get(personId, credentialId);
            case "PUT /api/3/people/{person_id}/credentials/{id}" -> credentials.update(personId, credentialId, r);
            case "DELETE /api/3/people/{person_id}/credentials/{id}" -> credentials.delete(personId, credentialId);
            default -> Http.notFound();
        };
    }

    /** A personal API key (HTTP Basic, key as user name), a static token, or a valid OAuth access token. */
    private boolean authenticated(Request r) {
        String token = r.bearerToken();
        String key = r.apiKey();
        return token != null ? accessTokens.contains(token) || oauth.validAccessToken(token)
                : key != null && apiKeys.contains(key);
    }

    // ---- arranging state (tests, the demo seed) ----

    public synchronized void reset() {
        others.clear();
        account.clear();
        events.clear();
        oauth.clear();
        faults.clear();
        permissions.clear();
        mobileRevocationTime = configuredRevocationTime;
        recorder.clearCalls();
        recorder.clearExchanges();
    }

    /** Hosts another DoorFlow account, reached with its own API key or OAuth token (see {@link OtherAccounts}). */
    public DoorFlowSimulator addAccount(String accountId, String apiKey) {
        return others.add(accountId, apiKey);
    }

    /** Another account this simulator hosts, or null. */
    public DoorFlowSimulator account(String accountId) {
        return others.byId(accountId);
    }

    public synchronized void addGroup(long id, String name) {
        account.addGroup(id, name);
    }

    /** Adds a person as if made by hand in DoorFlow; {@code fields} uses PersonInput names. Returns its id. */
    public synchronized long addPerson(Map<String, Object> fields) {
        return people.add(json.valueToTree(fields));
    }

    /** Applies a PersonInput-shaped change as a hand edit in DoorFlow would. */
    public synchronized void editPerson(long id, Map<String, Object> fields) {
        people.edit(id, json.valueToTree(fields));
    }

    /** Deletes a person by hand in DoorFlow: its soft delete, exactly as the API does it. */
    public synchronized void deletePerson(long id) {
        people.delete(id);
    }

    /** Deletes a credential by hand in DoorFlow (a phone's revocation starts, as through the API). */
    public synchronized void deleteCredential(long personId, String credentialId) {
        credentials.delete(personId, credentialId);
    }

    public synchronized void addCredentialType(long id, String label, String slug, Integer code, CredentialKind kind) {
        account.credentialTypes.put(id, new Account.CredentialTypeDef(id, label, slug, code, kind));
    }

    /** Issues a credential as if by hand at the front desk; returns its id. No rules are checked. */
    public synchronized String addCredential(long personId, long typeId, String value) {
        return credentials.add(personId, typeId, value);
    }

    /** A door (channel) that admits the people of {@code groupIds}. */
    public synchronized void addDoor(long id, String name, Set<Long> groupIds) {
        events.addDoor(id, name, groupIds);
    }

    /** A person badges at a door: the access event DoorFlow records (admit or reject), or null if either is unknown. */
    public synchronized JsonNode badge(long personId, long doorId) {
        return events.badge(personId, doorId);
    }

    /** Someone badges somewhere: a random live person at a random door (the demo's stream of check-ins). */
    public synchronized JsonNode badgeSomeone(RandomGenerator random) {
        List<Long> ids = account.people.values().stream().filter(p -> !Account.deleted(p))
                .map(p -> p.get("id").asLong()).toList();
        List<Long> doors = List.copyOf(events.doors.keySet());
        return ids.isEmpty() || doors.isEmpty() ? null
                : events.badge(ids.get(random.nextInt(ids.size())), doors.get(random.nextInt(doors.size())));
    }

    /** How many mobile credentials (not revoked) the account's licence allows. */
    public synchronized void setMobileLicenceLimit(int licences) {
        account.mobileLicences = licences;
    }

    /** DoorFlow finishes revoking mobile credentials some time after the 202; this is that moment. */
    public synchronized void completeMobileRevocations() {
        credentials.completeMobileRevocations();
    }

    /** How long DoorFlow takes to finish revoking a phone after its 202; {@code asConfigured}: reset() goes back. */
    public synchronized void setMobileRevocationTime(Duration time, boolean asConfigured) {
        mobileRevocationTime = time;
        if (asConfigured) {
            configuredRevocationTime = time;
        }
    }

    /** The id GET /api/3/account reports: another account behind the same credentials, as far as doorsync can tell. */
    public synchronized void setAccountId(String id) {
        account.id = id;
    }

    public synchronized void setSyncRateLimit(Duration window) {
        account.syncRateLimit = window;
    }

    public synchronized void setOAuthApp(OAuthApp app) {
        oauth.setApp(app);
    }

    /**
     * From now on DoorFlow refuses (403) every write to this person and its credentials, as it does when the
     * caller's permission does not reach that person (an admin scoped to an organisation); reset() clears it.
     */
    public synchronized void refuseWritesTo(long personId) {
        permissions.refuseWritesTo(personId);
    }

    // ---- test controls ----

    /** Standing faults from now on (replacing earlier ones), draws seeded with {@code seed}; reset() clears them. */
    public synchronized void setFaults(List<FaultRule> rules, long seed) {
        faults.setRules(rules, seed);
    }

    public synchronized List<FaultRule> faults() {
        return faults.rules();
    }

    /** How many faults of each kind (reset, rate_limit, error, lost_answer, latency) were injected. */
    public synchronized Map<String, Integer> faultsInjected() {
        return faults.injected();
    }

    /**
     * doorsync dies while waiting for the answer to its {@code write}-th write (1 = the first): the writes before
     * it go through, that one is applied and its answer never arrives, and no request after it reaches DoorFlow
     * (each is reset) until {@link #reset()} or {@code crashAtWrite(0)}.
     */
    public synchronized void crashAtWrite(int write) {
        faults.crashAtWrite(write);
    }

    /** The next {@code times} requests to the route close the connection before DoorFlow sees them. */
    public synchronized void resetNext(String route, int times) {
        faults.next(route, Faults.Kind.RESET, times);
    }

    /** The next {@code times} requests to the route are applied, and their answers lost. */
    public synchronized void loseAnswerNext(String route, int times) {
        faults.next(route, Faults.Kind.LOST_ANSWER, times);
    }

    /** The next {@code times} requests to "METHOD /template" (as in {@link #calls()}) get {@code status}. */
    public synchronized void failNext(String route, int status, int times) {
        faults.failNext(route, status, times);
    }

    /** Runs {@code action} once, right after the next request to "METHOD /template" has been answered. */
    public synchronized void afterNext(String route, Runnable action) {
        faults.afterNext(route, action);
    }

    /** Every access token issued so far is now expired (the refresh tokens stay valid). */
    public synchronized void expireAccessTokens() {
        oauth.expireAccessTokens();
    }

    /** An account admin removed doorsync's access in DoorFlow: every token it holds stops working. */
    public synchronized void revokeAllTokens() {
        oauth.revokeAllTokens();
    }

    // ---- observing ----

    /** Live (not deleted) people, as DoorFlow would return them. */
    public synchronized List<JsonNode> people() {
        return account.people.values().stream().filter(p -> !Account.deleted(p))
                .map(p -> (JsonNode) Account.publicView(p)).toList();
    }

    public synchronized JsonNode person(long id) {
        var p = account.people.get(id);
        return p == null ? null : Account.publicView(p);
    }

    public synchronized boolean isDeleted(long id) {
        var p = account.people.get(id);
        return p != null && Account.deleted(p);
    }

    /** A person's credentials as DoorFlow lists them (revoked mobile credentials included). */
    public synchronized List<JsonNode> credentialsOf(long personId) {
        credentials.completeDueRevocations(mobileRevocationTime);
        return account.credentialsOf(personId).stream().map(c -> (JsonNode) c.deepCopy()).toList();
    }

    /** Every access event so far, oldest first. */
    public synchronized List<JsonNode> events() {
        return events.all().stream().map(e -> (JsonNode) e.deepCopy()).toList();
    }

    /** How many refresh_token grants were answered (successfully or not). */
    public synchronized int refreshGrants() {
        return oauth.refreshGrants();
    }

    /** Valid refresh tokens (a test checks a rotated one was not used twice). */
    public synchronized int validRefreshTokens() {
        return oauth.validRefreshTokens();
    }

    /** Calls received, keyed "METHOD /api/3/people/{id}" and so on. */
    public Map<String, Integer> calls() {
        return recorder.calls();
    }

    public int calls(String route) {
        return recorder.calls(route);
    }

    public void clearCalls() {
        recorder.clearCalls();
    }

    public List<Exchange> exchanges() {
        return recorder.exchanges();
    }

    public void clearExchanges() {
        recorder.clearExchanges();
    }
}
