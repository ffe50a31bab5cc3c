package io.doorsync.simulator;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Builds a simulator from its settings: API keys, tokens, the OAuth application, and the seed account. */
public final class SimulatorSetup {

    private SimulatorSetup() {
    }

    public static DoorFlowSimulator build(SimulatorConfig config, ObjectMapper json) {
        DoorFlowSimulator simulator = new DoorFlowSimulator(json, Clock.systemUTC(), config.apiKeys(),
                config.accessTokens().orElse(List.of()), config.syncRateLimit(), config.recordExchanges());
        arrange(simulator, config, json);
        return simulator;
    }

    /** Empties the simulator and arranges it again from its settings: the demo's reset to its starting state. */
    public static void rearrange(DoorFlowSimulator simulator, SimulatorConfig config, ObjectMapper json) {
        simulator.reset();
        arrange(simulator, config, json);
    }

    private static void arrange(DoorFlowSimulator simulator, SimulatorConfig config, ObjectMapper json) {
        config.oauth().clientSecret().ifPresent(secret -> simulator.setOAuthApp(new OAuthApp(config.oauth().clientId(),
                secret, config.oauth().accountId(), config.oauth().tokenLifetime(),
                config.oauth().rotateRefreshTokens())));
        config.seed().ifPresent(seed -> seed(simulator, json, seed));
        simulator.setMobileRevocationTime(config.mobileRevocationTime(), true);
        simulator.setFaults(config.faults().values().stream().map(SimulatorConfig.Fault::rule).toList(),
                config.faultSeed().orElseGet(System::nanoTime));
    }

    /** The seed is a classpath resource (the demo account) or, failing that, a file. */
    private static void seed(DoorFlowSimulator simulator, ObjectMapper json, String seed) {
        try (InputStream in = open(seed)) {
            JsonNode root = json.readTree(in);
            root.path("groups").forEach(g -> simulator.addGroup(g.get("id").asLong(), g.get("name").asText()));
            root.path("credential_types").forEach(t -> simulator.addCredentialType(t.get("id").asLong(),
                    t.get("label").asText(), t.get("slug").asText(), t.hasNonNull("code") ? t.get("code").asInt() : null,
                    DoorFlowSimulator.CredentialKind.valueOf(t.get("kind").asText())));
            for (JsonNode door : root.path("doors")) {
                java.util.Set<Long> groups = new java.util.HashSet<>();
                door.path("group_ids").forEach(g -> groups.add(g.asLong()));
                simulator.addDoor(door.get("id").asLong(), door.get("name").asText(), groups);
            }
            for (JsonNode person : root.path("people")) {
                simulator.addPerson(json.convertValue(person, Map.class));
            }
        } catch (IOException e) {
            throw new IllegalStateException("doorsync.simulator.seed: cannot read " + seed + ": " + e.getMessage(), e);
        }
    }

    private static InputStream open(String seed) throws IOException {
        InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(seed);
        if (in != null) {
            return in;
        }
        if (Files.isRegularFile(Path.of(seed))) {
            return Files.newInputStream(Path.of(seed));
        }
        throw new IOException("neither a classpath resource nor a file");
    }
}
