package io.doorsync.simulator;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;

/**
 * Serves a {@link DoorFlowSimulator} on its own port. A plain Vert.x server on its own Vert.x rather than
 * JAX-RS resources: the simulator stands for a separate DoorFlow, so it must not share doorsync's port,
 * security or http_server_* metrics, and it must run without doorsync at all (standalone).
 */
public final class SimulatorServer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(SimulatorServer.class);

    private final Vertx vertx;
    private final HttpServer server;

    private SimulatorServer(Vertx vertx, HttpServer server) {
        this.vertx = vertx;
        this.server = server;
    }

    /** Listens on {@code host:port} (port 0: any free port, see {@link #port()}) until closed. */
    public static SimulatorServer start(DoorFlowSimulator simulator, String host, int port) throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            HttpServer server = vertx.createHttpServer().requestHandler(request -> serve(vertx, simulator, request));
            server.listen(port, host).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            return new SimulatorServer(vertx, server);
        } catch (Exception e) {
            vertx.close();
            throw e;
        }
    }

    /**
     * Someone badges somewhere every {@code every} (a random live person at a random door), so the account has a
     * stream of access events to read, as a real site does; the draws come from {@code seed}.
     */
    public void badgeEvery(DoorFlowSimulator simulator, java.time.Duration every, long seed) {
        java.util.Random random = new java.util.Random(seed);
        vertx.setPeriodic(Math.max(1, every.toMillis()), t -> vertx.executeBlocking(() -> simulator.badgeSomeone(random),
                false));
    }

    public int port() {
        return server.actualPort();
    }

    @Override
    public void close() throws Exception {
        server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static void serve(Vertx vertx, DoorFlowSimulator simulator, HttpServerRequest http) {
        http.body().onComplete(read -> {
            Map<String, List<String>> query = new HashMap<>();
            http.params().forEach(e -> query.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
            Map<String, String> headers = new HashMap<>();
            http.headers().forEach(e -> headers.put(e.getKey().toLowerCase(Locale.ROOT), e.getValue()));
            String body = read.succeeded() && read.result() != null ? read.result().toString() : null;
            Http.Delivery delivery;
            try {
                delivery = simulator.deliver(new Http.Request(http.method().name(), http.path(), query, headers, body));
            } catch (RuntimeException e) {
                LOG.error("simulator failed on " + http.method() + " " + http.path(), e);
                http.response().setStatusCode(500).putHeader("Content-Type", "application/json")
                        .end("{\"error\":\"internal_server_error\",\"error_description\":\"simulator bug\"}");
                return;
            }
            // Latency without holding a thread or the simulator's lock: the answer is sent from a timer.
            if (delivery.delayMillis() > 0) {
                vertx.setTimer(delivery.delayMillis(), t -> send(http, delivery));
            } else {
                send(http, delivery);
            }
        });
    }

    private static void send(HttpServerRequest http, Http.Delivery delivery) {
        if (delivery.connectionClosed()) {
            http.connection().close(); // a reset, or an answer lost after the request was applied
            return;
        }
        Http.Response response = delivery.response();
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
    }
}
