package io.doorsync.simulator;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.doorsync.simulator.Http.Request;
import io.doorsync.simulator.Http.Response;

/**
 * What tests observe: calls counted per route, and (when recording is on) every API exchange, which the tests
 * validate against openapi.yaml.
 */
final class Recorder {

    private static final int MAX_RECORDED = 20_000;

    private final boolean recordExchanges;
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final Deque<Exchange> exchanges = new ArrayDeque<>();

    Recorder(boolean recordExchanges) {
        this.recordExchanges = recordExchanges;
    }

    void count(String route) {
        calls.computeIfAbsent(route, k -> new AtomicInteger()).incrementAndGet();
    }

    /**
     * Keeps an API exchange. The consent screen (and what a browser asks for around it, like /favicon.ico) is
     * DoorFlow's web UI, not its API: openapi.yaml does not describe it, so it is not kept for the contract checks.
     */
    synchronized void record(String route, Request request, Response response) {
        boolean ui = "GET /oauth/authorize".equals(route) || "POST /oauth/authorize/decision".equals(route)
                || !(request.path().startsWith("/api/") || request.path().startsWith("/oauth/"));
        if (!recordExchanges || ui) {
            return;
        }
        if (exchanges.size() >= MAX_RECORDED) {
            exchanges.removeFirst();
        }
        exchanges.addLast(new Exchange(request, response));
    }

    Map<String, Integer> calls() {
        Map<String, Integer> copy = new TreeMap<>();
        calls.forEach((k, v) -> copy.put(k, v.get()));
        return copy;
    }

    int calls(String route) {
        AtomicInteger n = calls.get(route);
        return n == null ? 0 : n.get();
    }

    void clearCalls() {
        calls.clear();
    }

    synchronized List<Exchange> exchanges() {
        return List.copyOf(exchanges);
    }

    synchronized void clearExchanges() {
        exchanges.clear();
    }
}
