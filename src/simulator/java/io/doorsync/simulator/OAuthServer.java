package io.doorsync.simulator;

import static io.doorsync.simulator.Http.error;
import static io.doorsync.simulator.Http.html;
import static io.doorsync.simulator.Http.ok;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.doorsync.simulator.Http.Request;
import io.doorsync.simulator.Http.Response;

/**
 * DoorFlow's OAuth authorization server for one registered application: the consent page, the
 * authorization-code grant with PKCE, refresh (with rotation), revocation and token info. It also decides
 * whether a Bearer token is a valid access token for the API. The host's server also signs in to the other
 * accounts it hosts, as DoorFlow's one authorization page does for whichever account its user picks: the consent
 * page offers each, and a grant for another account is made by that account's own server, so its tokens reach
 * that account only.
 */
final class OAuthServer {

    /** {@code account}: another hosted account the user approved for, or null for this server's own. */
    private record AuthCode(String redirectUri, String challenge, String scope, Instant expiresAt, String account) {
    }

    private record AccessGrant(String refreshToken, String scope, Instant createdAt, Instant expiresAt) {
    }

    private final ObjectMapper json;
    private final Clock clock;
    private OAuthApp oauthApp;
    private final Map<String, AuthCode> authCodes = new LinkedHashMap<>();
    private final Map<String, AccessGrant> accessGrants = new LinkedHashMap<>();
    /** Refresh tokens still valid, with their scope. */
    private final Map<String, String> refreshTokens = new LinkedHashMap<>();
    private final AtomicInteger refreshGrants = new AtomicInteger();
    private final java.security.SecureRandom tokenRandom = new java.security.SecureRandom();
    /** The other accounts hosted beside this one, by DoorFlow account id (none for another account's server). */
    private java.util.function.Supplier<Map<String, OAuthServer>> others = Map::of;

    OAuthServer(ObjectMapper json, Clock clock) {
        this.json = json;
        this.clock = clock;
    }

    synchronized void setApp(OAuthApp app) {
        this.oauthApp = app;
    }

    /** The servers of the other accounts hosted beside this one, by account id, read when needed. */
    void signsInTo(java.util.function.Supplier<Map<String, OAuthServer>> others) {
        this.others = others;
    }

    synchronized void clear() {
        authCodes.clear();
        accessGrants.clear();
        refreshTokens.clear();
        refreshGrants.set(0);
    }

    int refreshGrants() {
        return refreshGrants.get();
    }

    /** Every access token issued so far is now expired (the refresh tokens stay valid). */
    synchronized void expireAccessTokens() {
        Instant past = clock.instant().minusSeconds(1);
        accessGrants.replaceAll((token, grant) -> new AccessGrant(grant.refreshToken(), grant.scope(),
                grant.createdAt(), past));
    }

    /** An account admin removed doorsync's access in DoorFlow: every token it holds stops working. */
    synchronized void revokeAllTokens() {
        accessGrants.clear();
        refreshTokens.clear();
    }

    synchronized int validRefreshTokens() {
        return refreshTokens.size();
    }

    synchronized boolean validAccessToken(String token) {
        return validGrant(token) != null;
    }

    /** Whether a valid OAuth access token was granted {@code scope}; a token that is not OAuth's is not asked. */
    synchronized boolean lacksScope(String token, String scope) {
        AccessGrant grant = token == null ? null : validGrant(token);
        return grant != null && (grant.scope() == null || !List.of(grant.scope().split(" ")).contains(scope));
    }

    private AccessGrant validGrant(String accessToken) {
        AccessGrant grant = accessGrants.get(accessToken);
        return grant == null || !clock.instant().isBefore(grant.expiresAt()) ? null : grant;
    }

    synchronized Response handle(String route, Request r) {
        if (oauthApp == null) {
            return error(404, "not_found", "OAuth is not enabled for this account");
        }
        return switch (route) {
            case "GET /oauth/authorize" -> authorizePage(r);
            case "POST /oauth/authorize/decision" -> authorizeDecision(form(r.body()));
            case "POST /oauth/token" -> token(form(r.body()), r);
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
                + otherAccountButtons() + "</form></body></html>");
    }

    /** Signed in to another hosted account instead: one Approve button each. */
    private String otherAccountButtons() {
        StringBuilder buttons = new StringBuilder();
        others.get().keySet().stream().sorted().forEach(id -> buttons.append(" <button type=\"submit\" name=\"decision\""
                + " value=\"approve:").append(escape(id)).append("\" id=\"approve-").append(escape(id))
                .append("\">Approve on account ").append(escape(id)).append("</button>"));
        return buttons.toString();
    }

    private Response authorizeDecision(Map<String, String> form) {
        String redirect = form.get("redirect_uri");
        if (redirect == null) {
            return html(400, "<h1>Invalid authorization request</h1>");
        }
        String state = form.get("state");
        String query;
        String decision = form.getOrDefault("decision", "");
        String account = decision.startsWith("approve:") ? decision.substring("approve:".length()) : null;
        if ("approve".equals(decision) || account != null && others.get().containsKey(account)) {
            String code = newToken();
            authCodes.put(code, new AuthCode(redirect, form.get("code_challenge"), form.get("scope"),
                    clock.instant().plus(Duration.ofMinutes(10)), account));
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

    private Response token(Map<String, String> form, Request r) {
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
            OAuthServer issuer = code.account() == null ? this : others.get().get(code.account());
            return issuer == null ? invalidGrant() : issuer.grant(oauthApp, code.account(), code.scope());
        }
        if ("refresh_token".equals(grantType)) {
            String old = form.getOrDefault("refresh_token", "");
            OAuthServer other = refreshTokens.containsKey(old) ? null : others.get().values().stream()
                    .filter(o -> o.knowsRefreshToken(old)).findFirst().orElse(null);
            if (other != null) {
                return other.handle("POST /oauth/token", r); // that account's grant: refreshed (and counted) there
            }
            refreshGrants.incrementAndGet();
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

    /** A grant made here for an authorization approved on the host's page (the same application, this account). */
    private synchronized Response grant(OAuthApp hostApp, String account, String scope) {
        if (account != null && oauthApp == null) {
            oauthApp = new OAuthApp(hostApp.clientId(), hostApp.clientSecret(), account, hostApp.tokenLifetime(),
                    hostApp.rotateRefreshTokens());
        }
        String refresh = newToken();
        refreshTokens.put(refresh, scope);
        return issue(refresh, scope, true);
    }

    private synchronized boolean knowsRefreshToken(String token) {
        return refreshTokens.containsKey(token);
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
        forget(token);
        others.get().values().forEach(o -> o.forget(token)); // a token of another account's grant
        return ok(200, json.createObjectNode()); // 200 even for an unknown token, as DoorFlow does
    }

    private synchronized void forget(String token) {
        if (refreshTokens.remove(token) != null) {
            accessGrants.values().removeIf(g -> g.refreshToken().equals(token));
        }
        accessGrants.remove(token);
    }

    private synchronized Response tokenInfo(String authorization) {
        String token = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).trim() : null;
        AccessGrant grant = token == null ? null : validGrant(token);
        OAuthServer other = grant != null || token == null ? null : others.get().values().stream()
                .filter(o -> o.validAccessToken(token)).findFirst().orElse(null);
        if (other != null) {
            return other.tokenInfo(authorization); // another account's token: that account's info
        }
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
}
