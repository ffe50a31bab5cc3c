package io.doorsync.simulator;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;

/**
 * Serves the {@link DoorFlowSimulator} on its own port (demo: 8089) when doorsync.simulator.enabled is true.
 * A plain Vert.x server rather than JAX-RS resources, because those would share doorsync's own port and
 * security, and the simulator must look like a separate DoorFlow to doorsync.
 */
@ApplicationScoped
public class SimulatorServer {

    private static final Logger LOG = Logger.getLogger(SimulatorServer.class);

    private final SimulatorConfig config;
    private final ObjectMapper json;
    // Its own Vert.x, not Quarkus' managed one: the simulator stands for a separate DoorFlow, so its HTTP
    // server must not show up in doorsync's own http_server_* metrics (whose tag sets it would also clash with).
    private Vertx vertx;
    private HttpServer server;

    SimulatorServer(SimulatorConfig config, ObjectMapper json) {
        this.config = config;
        this.json = json;
    }

    @Produces
    @Singleton
    DoorFlowSimulator simulator() {
        DoorFlowSimulator simulator = new DoorFlowSimulator(json, Clock.systemUTC(), config.apiKeys(),
                config.accessTokens().orElse(List.of()), config.syncRateLimit(), config.recordExchanges());
        config.oauth().clientSecret().ifPresent(secret -> simulator.setOAuthApp(new DoorFlowSimulator.OAuthApp(
                config.oauth().clientId(), secret, config.oauth().accountId(), config.oauth().tokenLifetime(),
                config.oauth().rotateRefreshTokens())));
        config.seed().ifPresent(resource -> seed(simulator, resource));
        return simulator;
    }

    /** Starts before the sync scheduler and the demo CRM, so the first tick finds DoorFlow up. */
    void start(@Observes @Priority(10) StartupEvent event, DoorFlowSimulator simulator) throws Exception {
        if (!config.enabled()) {
            return;
        }
        vertx = Vertx.vertx();
        server = vertx.createHttpServer().requestHandler(request -> serve(simulator, request));
        server.listen(config.port(), config.host()).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        LOG.infof("DoorFlow simulator listening on http://%s:%d (API keys accepted: %d configured)", config.host(),
                config.port(), config.apiKeys().size());
    }

    void stop(@Observes ShutdownEvent event) throws Exception {
        if (server != null) {
            server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    private void serve(DoorFlowSimulator simulator, HttpServerRequest http) {
        http.body().onComplete(read -> {
            Map<String, List<String>> query = new HashMap<>();
            http.params().forEach(e -> query.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
            Map<String, String> headers = new HashMap<>();
            http.headers().forEach(e -> headers.put(e.getKey().toLowerCase(java.util.Locale.ROOT), e.getValue()));
            String body = read.succeeded() && read.result() != null ? read.result().toString() : null;
            DoorFlowSimulator.Response response;
            try {
                response = simulator.handle(new DoorFlowSimulator.Request(http.method().name(), http.path(), query,
                        headers, body));
            } catch (RuntimeException e) {
                LOG.error("simulator failed on " + http.method() + " " + http.path(), e);
                http.response().setStatusCode(500).putHeader("Content-Type", "application/json")
                        .end("{\"error\":\"internal_server_error\",\"error_description\":\"simulator bug\"}");
                return;
            }
            var out = http.response().setStatusCode(response.status());
            response.headers().forEach(out::putHeader);
            if (response.text() != null) {
                if (!response.headers().containsKey("Content-Type")) {
                    out.putHeader("Content-Type", "text/plain; charset=utf-8");
                }
                out.end(response.text());
            } else if (response.body() == null) {
                out.end();
            } else {
                out.putHeader("Content-Type", "application/json; charset=utf-8").end(response.body().toString());
            }
        });
    }

    private void seed(DoorFlowSimulator simulator, String resource) {
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("doorsync.simulator.seed: classpath resource " + resource + " not found");
            }
            JsonNode seed = json.readTree(in);
            seed.path("groups").forEach(g -> simulator.addGroup(g.get("id").asLong(), g.get("name").asText()));
            seed.path("credential_types").forEach(t -> simulator.addCredentialType(t.get("id").asLong(),
                    t.get("label").asText(), t.get("slug").asText(), t.hasNonNull("code") ? t.get("code").asInt() : null,
                    DoorFlowSimulator.CredentialKind.valueOf(t.get("kind").asText())));
            for (JsonNode person : seed.path("people")) {
                simulator.addPerson(json.convertValue(person, Map.class));
            }
        } catch (IOException e) {
            throw new IllegalStateException("doorsync.simulator.seed: cannot read " + resource, e);
        }
    }
}
