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

    // ---- OAuth: one registered application (client) and the tokens it was given ----

    /** The OAuth application doorsync is registered as in this simulated account. */
    public record OAuthApp(String clientId, String clientSecret, String accountId, Duration tokenLifetime,
            boolean rotateRefreshTokens) {
        @Override
        public String toString() {
            return "OAuthApp[" + clientId + "]";
        }
    }

    private record AuthCode(String redirectUri, String challenge, String scope, Instant expiresAt) {
    }

    private record AccessGrant(String refreshToken, String scope, Instant createdAt, Instant expiresAt) {
    }

    private OAuthApp oauthApp;
    private final Map<String, AuthCode> authCodes = new LinkedHashMap<>();
    private final Map<String, AccessGrant> accessGrants = new LinkedHashMap<>();
    /** Refresh tokens still valid, with their scope. */
    private final Map<String, String> refreshTokens = new LinkedHashMap<>();
    private final AtomicInteger refreshGrants = new AtomicInteger();
    private final java.security.SecureRandom tokenRandom = new java.security.SecureRandom();
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
        authCodes.clear();
        accessGrants.clear();
        refreshTokens.clear();
        refreshGrants.set(0);
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

    public synchronized void setOAuthApp(OAuthApp app) {
        this.oauthApp = app;
    }

    /** How many refresh_token grants were answered (successfully or not). */
    public int refreshGrants() {
        return refreshGrants.get();
    }

    /** Every access token issued so far is now expired (the refresh tokens stay valid). */
    public synchronized void expireAccessTokens() {
        Instant past = clock.instant().minusSeconds(1);
        accessGrants.replaceAll((token, grant) -> new AccessGrant(grant.refreshToken(), grant.scope(), grant.createdAt(),
                past));
    }

    /** An account admin removed doorsync's access in DoorFlow: every token it holds stops working. */
    public synchronized void revokeAllTokens() {
        accessGrants.clear();
        refreshTokens.clear();
    }

    /** Valid refresh tokens (a test checks a rotated one was not used twice). */
    public synchronized int validRefreshTokens() {
        return refreshTokens.size();
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
        // The consent screen (and what a browser asks for around it, like /favicon.ico) is DoorFlow's web UI,
        // not its API: openapi.yaml does not describe it, so it is not kept for the contract checks.
        boolean ui = "GET /oauth/authorize".equals(lastRoute) || "POST /oauth/authorize/decision".equals(lastRoute)
                || !(request.path().startsWith("/api/") || request.path().startsWith("/oauth/"));
        if (recordExchanges && !ui) {
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

        if (path.startsWith("/oauth/")) {
            return oauth(route, r);
        }
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
            String token = authorization.substring(7).trim();
            return accessTokens.contains(token) || validGrant(token) != null;
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

    // ---- OAuth ----

    private AccessGrant validGrant(String accessToken) {
        AccessGrant grant = accessGrants.get(accessToken);
        return grant == null || !clock.instant().isBefore(grant.expiresAt()) ? null : grant;
    }

    private Response oauth(String route, Request r) {
        if (oauthApp == null) {
            return error(404, "not_found", "OAuth is not enabled for this account");
        }
        return switch (route) {
            case "GET /oauth/authorize" -> authorizePage(r);
            case "POST /oauth/authorize/decision" -> authorizeDecision(form(r.body()));
            case "POST /oauth/token" -> token(form(r.body()));
            case "POST /oauth/revoke" -> revoke(r);
            case "GET /oauth/token/info" -> tokenInfo(r.headers().get("authorization"));
            default -> error(404, "not_found", "The requested resource was not found");
        };
    }

    /** DoorFlow's consent screen: what the application asks for, and Approve / Deny. */
    private Response authorizePage(Request r) {
        String clientId = r.param("client_id");
        String redirectUri = r.param("redirect_uri");
        if (!"code".equals(r.param("response_type")) || !oauthApp.clientId().equals(clientId) || redirectUri == null
                || r.param("scope") == null) {
            return html(400, "<h1>Invalid authorization request</h1><p>response_type=code, a known client_id, a"
                    + " redirect_uri and a scope are required.</p>");
        }
        if (r.param("code_challenge") != null && !"S256".equals(r.param("code_challenge_method"))) {
            return html(400, "<h1>Invalid authorization request</h1><p>code_challenge_method must be S256.</p>");
        }
        StringBuilder hidden = new StringBuilder();
        for (String name : List.of("redirect_uri", "scope", "state", "code_challenge")) {
            if (r.param(name) != null) {
                hidden.append("<input type=\"hidden\" name=\"").append(name).append("\" value=\"")
                        .append(escape(r.param(name))).append("\">");
            }
        }
        return html(200, "<!DOCTYPE html><html><head><title>DoorFlow (simulator) - Authorize</title></head><body>"
                + "<h1>Authorize doorsync?</h1><p>doorsync asks for: <code id=\"scopes\">" + escape(r.param("scope"))
                + "</code> on account <b>" + escape(oauthApp.accountId()) + "</b>.</p>"
                + "<form method=\"post\" action=\"/oauth/authorize/decision\">" + hidden
                + "<button type=\"submit\" name=\"decision\" value=\"approve\" id=\"approve\">Approve</button> "
                + "<button type=\"submit\" name=\"decision\" value=\"deny\" id=\"deny\">Deny</button>"
                + "</form></body></html>");
    }

    private Response authorizeDecision(Map<String, String> form) {
        String redirect = form.get("redirect_uri");
        if (redirect == null) {
            return html(400, "<h1>Invalid authorization request</h1>");
        }
        String state = form.get("state");
        String query;
        if ("approve".equals(form.get("decision"))) {
            String code = newToken();
            authCodes.put(code, new AuthCode(redirect, form.get("code_challenge"), form.get("scope"),
                    clock.instant().plus(Duration.ofMinutes(10))));
            query = "code=" + urlEncode(code);
        } else {
            query = "error=access_denied&error_description="
                    + urlEncode("The resource owner or authorization server denied the request.");
        }
        if (state != null) {
            query += "&state=" + urlEncode(state);
        }
        return new Response(302, Map.of("Location", redirect + (redirect.contains("?") ? "&" : "?") + query), null);
    }

    private Response token(Map<String, String> form) {
        if (!oauthApp.clientId().equals(form.get("client_id"))
                || !oauthApp.clientSecret().equals(form.get("client_secret"))) {
            return error(401, "invalid_client", "Client authentication failed due to unknown client, no client"
                    + " authentication included, or unsupported authentication method.");
        }
        String grantType = form.get("grant_type");
        if ("authorization_code".equals(grantType)) {
            AuthCode code = authCodes.remove(form.getOrDefault("code", ""));
            if (code == null || !clock.instant().isBefore(code.expiresAt())
                    || !code.redirectUri().equals(form.get("redirect_uri"))) {
                return invalidGrant();
            }
            if (code.challenge() != null && (form.get("code_verifier") == null
                    || !code.challenge().equals(s256(form.get("code_verifier"))))) {
                return invalidGrant();
            }
            String refresh = newToken();
            refreshTokens.put(refresh, code.scope());
            return issue(refresh, code.scope(), true);
        }
        if ("refresh_token".equals(grantType)) {
            refreshGrants.incrementAndGet();
            String old = form.getOrDefault("refresh_token", "");
            String scope = refreshTokens.get(old);
            if (scope == null) {
                return invalidGrant();
            }
            String refresh = old;
            if (oauthApp.rotateRefreshTokens()) {
                // Rotation: the old refresh token (and what it issued) stops working at once.
                refreshTokens.remove(old);
                accessGrants.values().removeIf(g -> g.refreshToken().equals(old));
                refresh = newToken();
                refreshTokens.put(refresh, scope);
            }
            return issue(refresh, scope, oauthApp.rotateRefreshTokens());
        }
        return error(400, "unsupported_grant_type", "The authorization grant type is not supported by the"
                + " authorization server.");
    }

    private Response issue(String refreshToken, String scope, boolean includeRefreshToken) {
        String access = newToken();
        Instant now = clock.instant();
        accessGrants.put(access, new AccessGrant(refreshToken, scope, now, now.plus(oauthApp.tokenLifetime())));
        ObjectNode body = json.createObjectNode().put("access_token", access).put("token_type", "Bearer")
                .put("expires_in", oauthApp.tokenLifetime().toSeconds()).put("scope", scope)
                .put("created_at", now.getEpochSecond());
        if (includeRefreshToken) {
            body.put("refresh_token", refreshToken);
        }
        return ok(200, body);
    }

    private Response invalidGrant() {
        return error(400, "invalid_grant", "The provided authorization grant is invalid, expired, revoked, does not"
                + " match the redirection URI used in the authorization request, or was issued to another client.");
    }

    private Response revoke(Request r) {
        String authorization = r.headers().get("authorization");
        String expected = "Basic " + Base64.getUrlEncoder().encodeToString((oauthApp.clientId() + ":"
                + oauthApp.clientSecret()).getBytes(StandardCharsets.UTF_8));
        if (authorization == null || !authorization.trim().equals(expected)) {
            return error(403, "unauthorized_client", "You are not authorized to revoke this token");
        }
        String token = form(r.body()).getOrDefault("token", "");
        if (refreshTokens.remove(token) != null) {
            accessGrants.values().removeIf(g -> g.refreshToken().equals(token));
        }
        accessGrants.remove(token);
        return ok(200, json.createObjectNode()); // 200 even for an unknown token, as DoorFlow does
    }

    private Response tokenInfo(String authorization) {
        AccessGrant grant = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? validGrant(authorization.substring(7).trim()) : null;
        if (grant == null) {
            return error(401, "invalid_token", "The access token is invalid or has expired");
        }
        ObjectNode body = json.createObjectNode().put("resource_owner_id", 4242).put("account_id", oauthApp.accountId());
        ArrayNode scopes = body.putArray("scope");
        for (String scope : grant.scope().split(" ")) {
            scopes.add(scope);
        }
        body.put("expires_in", Math.max(0, Duration.between(clock.instant(), grant.expiresAt()).toSeconds()));
        body.putObject("application").put("uid", oauthApp.clientId());
        body.put("created_at", grant.createdAt().getEpochSecond());
        return ok(200, body);
    }

    private String newToken() {
        byte[] b = new byte[24];
        tokenRandom.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static String s256(String verifier) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(java.security.MessageDigest
                    .getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> form(String body) {
        Map<String, String> form = new LinkedHashMap<>();
        if (body == null || body.isBlank()) {
            return form;
        }
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            String name = java.net.URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            form.putIfAbsent(name, value);
        }
        return form;
    }

    private static String urlEncode(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private Response html(int status, String page) {
        return new Response(status, Map.of("Content-Type", "text/html; charset=utf-8"), null, page);
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
