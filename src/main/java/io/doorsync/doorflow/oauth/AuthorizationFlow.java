package io.doorsync.doorflow.oauth;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;

import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.Form;

import io.doorsync.doorflow.oauth.DoorFlowOAuthApi.TokenInfo;
import io.doorsync.doorflow.oauth.DoorFlowOAuthApi.TokenResponse;
import io.doorsync.doorflow.oauth.OAuthConnection.AuthorizationRefused;

/**
 * The authorization-code flow with PKCE that an admin starts on /admin: a single-use, unguessable state and a
 * verifier kept (encrypted) until DoorFlow sends the browser back, then the code exchanged with the client
 * secret. What the tokens are stored as is {@link TokenStore}'s business.
 */
final class AuthorizationFlow {

    /** The tokens and account an approved authorization yielded. */
    record Granted(TokenResponse tokens, TokenInfo info) {
    }

    private final TokenStore store;
    private final DoorFlowOAuthApi api;
    private final OAuthConnection.Client client;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    AuthorizationFlow(TokenStore store, DoorFlowOAuthApi api, OAuthConnection.Client client, Clock clock) {
        this.store = store;
        this.api = api;
        this.client = client;
        this.clock = clock;
    }

    /** Starts an authorization; returns where to send the browser. */
    URI begin() {
        String state = randomToken(32);
        String verifier = randomToken(48);
        // Abandoned authorizations do not pile up.
        store.beginAuthorization(state, verifier, clock.instant(), clock.instant().minus(client.stateLifetime()));
        String query = "response_type=code"
                + "&client_id=" + encode(client.clientId())
                + "&redirect_uri=" + encode(client.redirectUri())
                + "&scope=" + encode(client.scopes())
                + "&state=" + encode(state)
                + "&code_challenge=" + encode(challenge(verifier))
                + "&code_challenge_method=S256";
        String base = client.authorizeUrl().toString();
        return URI.create(base + (base.contains("?") ? "&" : "?") + query);
    }

    /**
     * Exchanges the code from the callback: the state must be one this doorsync issued, unused and not expired.
     */
    Granted complete(String state, String code) {
        String verifier = consume(state);
        try {
            Form form = new Form().param("grant_type", "authorization_code").param("code", code)
                    .param("redirect_uri", client.redirectUri()).param("client_id", client.clientId())
                    .param("client_secret", client.clientSecret()).param("code_verifier", verifier);
            TokenResponse tokens = api.token(form);
            TokenInfo info = api.info("Bearer " + tokens.accessToken());
            if (tokens.refreshToken() == null) {
                throw new AuthorizationRefused("DoorFlow granted no refresh token, so doorsync could not stay"
                        + " connected");
            }
            return new Granted(tokens, info);
        } catch (OAuthException e) {
            throw new AuthorizationRefused("DoorFlow did not accept the authorization: " + e.getMessage());
        } catch (ProcessingException e) {
            throw new AuthorizationRefused("DoorFlow could not be reached to complete the authorization: "
                    + e.getMessage());
        }
    }

    /** The admin (or DoorFlow) refused on the authorize page: the state is used up all the same. */
    void denied(String state) {
        consume(state);
    }

    private String consume(String state) {
        if (state == null || state.isBlank()) {
            throw new AuthorizationRefused("The answer from DoorFlow carried no state, so it cannot be matched to a"
                    + " Connect started here. Start again with Connect.");
        }
        TokenStore.Pending pending = store.consumeAuthorization(state);
        if (pending == null) {
            throw new AuthorizationRefused("This answer from DoorFlow does not match a Connect started here, or it"
                    + " was already used. Start again with Connect.");
        }
        if (pending.createdAt().plus(client.stateLifetime()).isBefore(clock.instant())) {
            throw new AuthorizationRefused("This authorization took longer than " + client.stateLifetime().toMinutes()
                    + " minutes and has expired. Start again with Connect.");
        }
        return pending.verifier();
    }

    private String randomToken(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    static String challenge(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
