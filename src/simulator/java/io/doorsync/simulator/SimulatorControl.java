package io.doorsync.simulator;

import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.doorsync.simulator.Http.Request;
import io.doorsync.simulator.Http.Response;

/**
 * The simulator's own control API under {@code /_simulator/}, beside DoorFlow's on the same port, for a process
 * outside (the benchmark, the packaging tests) and for trying things by hand. Not DoorFlow's: it takes no
 * credentials.
 * <ul>
 * <li>{@code /_simulator/faults}: the standing faults ({@link FaultControl});</li>
 * <li>{@code GET /_simulator/calls}: the calls per "METHOD /template" since the last {@code DELETE};</li>
 * <li>{@code POST /_simulator/badge} with {@code {"person_id": 1001, "door_id": 1340}}: that person badges at
 * that door; the answer is the access event (admit or reject) that {@code GET /api/3/events} now lists;</li>
 * <li>{@code POST /_simulator/accounts} with {@code {"id": "acc_2", "api_key": "key-2"}}: another DoorFlow
 * account, reached with that key; {@code GET} lists their ids.</li>
 * </ul>
 * Any of them with {@code ?account=<id>} acts on that other account instead ({@link OtherAccounts}).
 */
final class SimulatorControl {

    static final String PREFIX = "/_simulator/";
    static final String CALLS = PREFIX + "calls";
    static final String BADGE = PREFIX + "badge";
    static final String ACCOUNTS = PREFIX + "accounts";

    private final ObjectMapper json;
    private final DoorFlowSimulator simulator;
    private final Recorder recorder;
    private final FaultControl faults;

    SimulatorControl(ObjectMapper json, DoorFlowSimulator simulator, Recorder recorder) {
        this.json = json;
        this.simulator = simulator;
        this.recorder = recorder;
        this.faults = new FaultControl(json, simulator);
    }

    Response handle(Request request) {
        if (request.path().startsWith(FaultControl.PATH)) {
            return faults.handle(request);
        }
        return switch (request.method() + " " + request.path()) {
            case "GET " + CALLS -> Http.ok(200, json.valueToTree(new TreeMap<>(recorder.calls())));
            case "DELETE " + CALLS -> {
                recorder.clearCalls();
                yield new Response(204, Map.of(), null);
            }
            case "POST " + BADGE -> badge(request.body());
            case "GET " + ACCOUNTS -> Http.ok(200, json.valueToTree(simulator.others.ids()));
            case "POST " + ACCOUNTS -> addAccount(request.body());
            default -> Http.error(404, "not_found", "the control API has " + FaultControl.PATH + " (GET, PUT, DELETE), "
                    + CALLS + " (GET, DELETE), " + BADGE + " (POST) and " + ACCOUNTS + " (GET, POST)");
        };
    }

    private Response addAccount(String body) {
        try {
            JsonNode b = json.readTree(body == null ? "" : body);
            String id = b == null ? null : b.path("id").asText(null);
            simulator.addAccount(id, b == null ? null : b.path("api_key").asText(null));
            return Http.ok(201, json.createObjectNode().put("id", id));
        } catch (java.io.IOException e) {
            return Http.error(400, "bad_request", "the body is not JSON: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            return Http.error(422, "unprocessable", e.getMessage());
        }
    }

    private Response badge(String body) {
        try {
            JsonNode b = json.readTree(body == null ? "" : body);
            JsonNode event = b == null ? null : simulator.badge(b.path("person_id").asLong(-1),
                    b.path("door_id").asLong(-1));
            return event == null ? Http.error(422, "unprocessable", "person_id and door_id must name a person and a"
                    + " door of the account") : Http.ok(201, event);
        } catch (java.io.IOException e) {
            return Http.error(400, "bad_request", "the body is not JSON: " + e.getMessage());
        }
    }
}
