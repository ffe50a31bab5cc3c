package io.doorsync.packaging;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The DoorFlow simulator as its own process (its main class, on the test classpath, as the README's command). */
public final class SimulatorProcess implements AutoCloseable {

    private final Process process;
    final int port;
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    private SimulatorProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static SimulatorProcess start() throws Exception {
        Process process = new ProcessBuilder(java(), "-cp", System.getProperty("java.class.path"),
                "-Ddoorsync.simulator.port=0", "io.doorsync.simulator.StandaloneSimulator").redirectErrorStream(true)
                .start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try {
                for (String line; (line = out.readLine()) != null;) {
                    if (line.startsWith("DoorFlow simulator listening on http://")) {
                        port.complete(Integer.parseInt(line.replaceAll(".*:(\\d+)$", "$1")));
                    }
                }
            } catch (IOException e) {
                port.completeExceptionally(e);
            }
            port.completeExceptionally(new IllegalStateException("the standalone simulator exited"));
        });
        reader.setDaemon(true);
        reader.start();
        return new SimulatorProcess(process, port.get(60, TimeUnit.SECONDS));
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** People as DoorFlow lists them (API key "demo"), all of them or those with one system_id. */
    public List<JsonNode> people(String systemId) {
        return people("demo", systemId);
    }

    /** Another DoorFlow account, reached with {@code apiKey} (see DoorFlowSimulator.addAccount). */
    public void addAccount(String id, String apiKey) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl()
                    + "/_simulator/accounts")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json.createObjectNode().put("id", id)
                            .put("api_key", apiKey).toString())).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 201) {
                throw new IllegalStateException("the simulator answered " + response.statusCode() + ": "
                        + response.body());
            }
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The people of the account {@code apiKey} reaches, all of them or those with one system_id. */
    public List<JsonNode> people(String apiKey, String systemId) {
        try {
            String query = systemId == null ? "per_page=100" : "system_id=" + systemId;
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl()
                    + "/api/3/people?" + query)).header("Authorization", "Basic "
                            + Base64.getEncoder().encodeToString((apiKey + ":").getBytes(StandardCharsets.UTF_8)))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("simulator answered " + response.statusCode());
            }
            List<JsonNode> people = new ArrayList<>();
            json.readTree(response.body()).forEach(people::add);
            return people;
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** People carrying a system_id of the default prefix (crm:). */
    List<JsonNode> managedPeople() {
        return people(null).stream().filter(p -> p.path("system_id").asText("").startsWith("crm:")).toList();
    }

    /** Replaces the standing faults through the control API (a body as described in FaultControl). */
    public void setFaults(String rules) {
        setFaults(rules, null);
    }

    /** The same, for another account it hosts ({@code account} null: its own). */
    public void setFaults(String rules, String account) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/_simulator/faults"
                    + (account == null ? "" : "?account=" + account)))
                    .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(rules)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("the fault control answered " + response.statusCode() + ": "
                        + response.body());
            }
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** DoorFlow calls an account received since its counts were last cleared, in all; {@code clear}: and clears. */
    public int calls(String account, boolean clear) {
        try {
            URI uri = URI.create(baseUrl() + "/_simulator/calls" + (account == null ? "" : "?account=" + account));
            int total = 0;
            for (JsonNode n : json.readTree(http.send(HttpRequest.newBuilder(uri).build(),
                    HttpResponse.BodyHandlers.ofString()).body())) {
                total += n.asInt();
            }
            if (clear) {
                http.send(HttpRequest.newBuilder(uri).DELETE().build(), HttpResponse.BodyHandlers.discarding());
            }
            return total;
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
