package io.doorsync.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The simulator's HTTP vocabulary: a request as the simulator sees it, an answer, and the answer shapes
 * DoorFlow uses (openapi.yaml's error bodies). Transport-free, so the account can be driven without a socket.
 */
public final class Http {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Http() {
    }

    public record Request(String method, String path, Map<String, List<String>> query, Map<String, String> headers,
            String body) {
        public String param(String name) {
            List<String> values = query.get(name);
            return values == null || values.isEmpty() ? null : values.get(0);
        }

        /** The Bearer token of the Authorization header, or null. */
        public String bearerToken() {
            String authorization = headers.get("authorization");
            return authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                    ? authorization.substring(7).trim() : null;
        }

        /** The personal API key of an HTTP Basic Authorization header (the key as user name), or null. */
        public String apiKey() {
            String authorization = headers.get("authorization");
            if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
                return null;
            }
            try {
                String decoded = new String(java.util.Base64.getDecoder().decode(authorization.substring(6).trim()),
                        java.nio.charset.StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                return colon < 0 ? decoded : decoded.substring(0, colon);
            } catch (IllegalArgumentException notBase64) {
                return null;
            }
        }

        public int intParam(String name, int fallback) {
            try {
                return param(name) == null ? fallback : Integer.parseInt(param(name));
            } catch (NumberFormatException e) {
                return fallback;
            }
        }
    }

    /** A JSON answer ({@code body}), a text one ({@code text}), or none. */
    public record Response(int status, Map<String, String> headers, JsonNode body, String text) {
        public Response(int status, Map<String, String> headers, JsonNode body) {
            this(status, headers, body, null);
        }

        /** This answer with one more header (HTTP servers date every answer: DoorFlow's clock, for since_utc). */
        Response withHeader(String name, String value) {
            Map<String, String> more = new java.util.LinkedHashMap<>(headers);
            more.put(name, value);
            return new Response(status, more, body, text);
        }
    }

    /**
     * How an answer leaves the simulator: after {@code delayMillis}, or never (the connection closes instead,
     * {@code response} is null when the request was not even handled).
     */
    public record Delivery(Response response, long delayMillis, boolean connectionClosed) {
    }

    static Response ok(int status, JsonNode body) {
        return new Response(status, Map.of(), body);
    }

    static Response text(int status, String text) {
        return new Response(status, Map.of(), null, text);
    }

    static Response html(int status, String page) {
        return new Response(status, Map.of("Content-Type", "text/html; charset=utf-8"), null, page);
    }

    static Response notFound() {
        return error(404, "not_found", "The requested resource was not found");
    }

    static Response error(int status, String code, String description) {
        return new Response(status, Map.of(),
                JSON.createObjectNode().put("error", code).put("error_description", description));
    }

    static Response rateLimited(long retryIn) {
        return rateLimited(retryIn, "Sync rate limit exceeded. Please wait before trying again.");
    }

    /** openapi.yaml's RateLimitedError, with the standard Retry-After header beside retry_in. */
    static Response rateLimited(long retryIn, String description) {
        return new Response(429, Map.of("Retry-After", String.valueOf(retryIn)), JSON.createObjectNode()
                .put("error", "rate_limited").put("description", description).put("retry_in", retryIn));
    }

    static Response unprocessable(String field, String message) {
        return unprocessable(Map.of(field, List.of(message)));
    }

    /**
     * 422 for people. openapi.yaml's UnprocessableEntityError only defines credential fields under errors, so
     * the people validation messages travel in its error string, e.g. "Validation failed: email has already
     * been taken".
     */
    static Response unprocessable(Map<String, List<String>> errors) {
        List<String> messages = new ArrayList<>();
        errors.forEach((field, list) -> list.forEach(m -> messages.add(field + " " + m)));
        return new Response(422, Map.of(),
                JSON.createObjectNode().put("error", "Validation failed: " + String.join("; ", messages)));
    }

    /** 422 for credentials: openapi.yaml's errors object, one list of messages per field. */
    static Response credentialInvalid(String field, String message) {
        return new Response(422, Map.of(), JSON.createObjectNode().put("error", "Validation failed")
                .set("errors", JSON.createObjectNode().set(field, JSON.createArrayNode().add(message))));
    }
}
