package io.doorsync.doorflow;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.ws.rs.core.Response;

import io.doorsync.doorflow.DoorFlowDtos.Credential;
import io.doorsync.doorflow.DoorFlowDtos.ErrorBody;

/**
 * DoorFlow refused a request. The message is DoorFlow's own explanation, fit for the journal and the log:
 * error bodies never carry credentials, and request headers are never part of it.
 */
public class DoorFlowException extends RuntimeException {

    private final int status;
    private final String error;

    public DoorFlowException(int status, String error, String message) {
        super(message);
        this.status = status;
        this.error = error;
    }

    public int status() {
        return status;
    }

    /** DoorFlow's error code (unauthorized, rate_limited, ...), or null when the body had none. */
    public String error() {
        return error;
    }

    static DoorFlowException from(Response response) {
        int status = response.getStatus();
        if (status == 409) {
            Credential existing = readCredential(response);
            if (existing != null) {
                return new DoorFlowConflictException(existing);
            }
        }
        ErrorBody body = readBody(response);
        StringBuilder message = new StringBuilder("DoorFlow answered ").append(status);
        String error = body == null ? null : body.error();
        Integer retryIn = body == null ? null : body.retryIn();
        if (body != null) {
            List<String> parts = new ArrayList<>();
            if (body.error() != null) {
                parts.add(body.error());
            }
            if (body.errorDescription() != null) {
                parts.add(body.errorDescription());
            }
            if (body.description() != null) {
                parts.add(body.description());
            }
            if (body.errors() != null && body.errors().isObject()) {
                // {"value": ["value is already in use on your account"]}: the message usually names its field
                body.errors().fields().forEachRemaining(f -> parts.add(text(f.getValue()).startsWith(f.getKey())
                        ? text(f.getValue()) : f.getKey() + " " + text(f.getValue())));
            }
            if (!parts.isEmpty()) {
                message.append(": ").append(String.join("; ", parts));
            }
        }
        if (status == 429) {
            Duration wait = retryIn != null ? Duration.ofSeconds(Math.max(0, retryIn))
                    : retryAfter(response.getHeaderString("Retry-After"));
            return new DoorFlowRateLimitedException(error, message.append(" (retry in ").append(wait.toSeconds())
                    .append(" s)").toString(), wait);
        }
        if (retryIn != null) {
            message.append(" (retry in ").append(retryIn).append(" s)");
        }
        return status >= 500
                ? new DoorFlowUnavailableException(status, error, message.toString())
                : new DoorFlowException(status, error, message.toString());
    }

    /** Retry-After in seconds (DoorFlow does not send the HTTP-date form); DoorFlow's default wait otherwise. */
    private static Duration retryAfter(String header) {
        try {
            return header == null ? DoorFlowRateLimitedException.DEFAULT_WAIT
                    : Duration.ofSeconds(Math.max(0, Long.parseLong(header.trim())));
        } catch (NumberFormatException e) {
            return DoorFlowRateLimitedException.DEFAULT_WAIT;
        }
    }

    private static String text(com.fasterxml.jackson.databind.JsonNode node) {
        if (node.isArray()) {
            List<String> items = new ArrayList<>();
            node.forEach(n -> items.add(n.asText()));
            return String.join(", ", items);
        }
        return node.asText();
    }

    private static Credential readCredential(Response response) {
        try {
            response.bufferEntity();
            Credential c = response.hasEntity() ? response.readEntity(Credential.class) : null;
            return c != null && c.id() != null ? c : null;
        } catch (RuntimeException notACredential) {
            return null;
        }
    }

    private static ErrorBody readBody(Response response) {
        try {
            return response.hasEntity() ? response.readEntity(ErrorBody.class) : null;
        } catch (RuntimeException notJson) {
            return null; // a proxy's HTML error page: the status alone must do
        }
    }
}
