package io.doorsync.simulator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.doorsync.simulator.Http.Request;
import io.doorsync.simulator.Http.Response;

/**
 * The simulator's own control API for faults, beside DoorFlow's API on the same port (for tests that run the
 * simulator as a process, and for trying things by hand). Not DoorFlow's: it takes no credentials.
 * <ul>
 * <li>{@code GET /_simulator/faults}: the standing rules, and how many faults of each kind were injected;</li>
 * <li>{@code PUT /_simulator/faults} with {@code {"seed": 7, "rules": [{"route": "WRITE *", "latency_ms": 20,
 * "jitter_ms": 10, "reset_rate": 0.01, "rate_limit_rate": 0.05, "retry_in": 1, "error_rate": 0.05,
 * "error_status": 503, "lost_answer_rate": 0.02}]}}: replaces the rules (every field but route optional);</li>
 * <li>{@code DELETE /_simulator/faults}: no faults any more.</li>
 * </ul>
 */
final class FaultControl {

    static final String PATH = "/_simulator/faults";

    private final ObjectMapper json;
    private final DoorFlowSimulator simulator;

    FaultControl(ObjectMapper json, DoorFlowSimulator simulator) {
        this.json = json;
        this.simulator = simulator;
    }

    Response handle(Request request) {
        return switch (request.method()) {
            case "GET" -> Http.ok(200, describe());
            case "PUT" -> replace(request.body());
            case "DELETE" -> {
                simulator.setFaults(List.of(), 0);
                yield Http.ok(200, describe());
            }
            default -> Http.error(405, "method_not_allowed", "GET, PUT or DELETE " + PATH);
        };
    }

    private Response replace(String body) {
        try {
            JsonNode root = json.readTree(body == null ? "{}" : body);
            List<FaultRule> rules = new ArrayList<>();
            for (JsonNode r : root.path("rules")) {
                rules.add(new FaultRule(r.path("route").asText("*"), millis(r, "latency_ms"), millis(r, "jitter_ms"),
                        r.path("reset_rate").asDouble(0), r.path("rate_limit_rate").asDouble(0),
                        r.path("retry_in").asInt(1), r.path("error_rate").asDouble(0),
                        r.path("error_status").asInt(503), r.path("lost_answer_rate").asDouble(0)));
            }
            simulator.setFaults(rules, root.path("seed").asLong(System.nanoTime()));
            return Http.ok(200, describe());
        } catch (IllegalArgumentException | java.io.IOException e) {
            return Http.error(400, "bad_request", e.getMessage());
        }
    }

    private static Duration millis(JsonNode rule, String field) {
        return Duration.ofMillis(rule.path(field).asLong(0));
    }

    private JsonNode describe() {
        ObjectNode out = json.createObjectNode();
        var rules = out.putArray("rules");
        for (FaultRule r : simulator.faults()) {
            rules.addObject().put("route", r.route()).put("latency_ms", r.latency().toMillis())
                    .put("jitter_ms", r.jitter().toMillis()).put("reset_rate", r.resetRate())
                    .put("rate_limit_rate", r.rateLimitRate()).put("retry_in", r.retryIn())
                    .put("error_rate", r.errorRate()).put("error_status", r.errorStatus())
                    .put("lost_answer_rate", r.lostAnswerRate());
        }
        ObjectNode injected = out.putObject("injected");
        simulator.faultsInjected().forEach(injected::put);
        return out;
    }
}
