package io.doorsync.simulator;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import io.doorsync.simulator.Http.Response;

/**
 * Makes DoorFlow and the network misbehave on purpose. Standing {@link FaultRule}s apply at rates drawn from a
 * seeded random source, so a failing test can be replayed; one-shot controls fail the next requests to a route;
 * and an aftermath runs right after a request was answered (a colleague's hand edit at the worst moment).
 * Routes are "METHOD /template", as in {@link Recorder#calls()}.
 */
final class Faults {

    /** The kinds of fault, as counted by {@link #injected()}. */
    enum Kind {
        /** The connection closed before DoorFlow handled the request: nothing applied. */
        RESET,
        /** 429 with retry_in and Retry-After: nothing applied. */
        RATE_LIMIT,
        /** A 5xx: nothing applied. */
        ERROR,
        /** Applied, then the connection closed instead of the answer. */
        LOST_ANSWER,
        /** Answered late. */
        LATENCY;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What happens to one request: a delay, and at most one fault. */
    record Decision(long delayMillis, Kind fault, int status, int retryIn) {
        static final Decision NONE = new Decision(0, null, 0, 0);
    }

    private record Failure(String route, int status, int[] remaining) {
    }

    private record OneShot(String route, Kind fault, int[] remaining) {
    }

    private record Aftermath(String route, Runnable action) {
    }

    private final List<Failure> failures = new ArrayList<>();
    private final List<OneShot> oneShots = new ArrayList<>();
    private final List<Aftermath> aftermaths = new ArrayList<>();
    private final Map<Kind, Integer> injected = new TreeMap<>();
    private List<FaultRule> rules = List.of();
    private Random random = new Random();
    private int crashAtWrite;
    private int writesSeen;

    void clear() {
        crashAtWrite = 0;
        writesSeen = 0;
        failures.clear();
        oneShots.clear();
        aftermaths.clear();
        rules = List.of();
        injected.clear();
    }

    void setRules(List<FaultRule> rules, long seed) {
        this.rules = List.copyOf(rules);
        this.random = new Random(seed);
    }

    List<FaultRule> rules() {
        return rules;
    }

    /** How many faults of each kind were injected since the last {@link #clear()}. */
    Map<String, Integer> injected() {
        Map<String, Integer> counts = new TreeMap<>();
        injected.forEach((k, n) -> counts.put(k.label(), n));
        return counts;
    }

    void failNext(String route, int status, int times) {
        failures.add(new Failure(route, status, new int[] { times }));
    }

    /** The next {@code times} requests to {@code route} meet {@code fault} (RESET or LOST_ANSWER). */
    void next(String route, Kind fault, int times) {
        oneShots.add(new OneShot(route, fault, new int[] { times }));
    }

    void afterNext(String route, Runnable action) {
        aftermaths.add(new Aftermath(route, action));
    }

    /** Writes before {@code write} go through; that one is applied and its answer lost; nothing after it arrives. */
    void crashAtWrite(int write) {
        crashAtWrite = write;
        writesSeen = 0;
    }

    /** What the network and DoorFlow do to this request, before DoorFlow looks at it. */
    Decision decide(String method, String template) {
        String route = method + " " + template;
        if (crashAtWrite > 0 && template.startsWith("/api/")) {
            if (writesSeen >= crashAtWrite) {
                count(Kind.RESET);
                return new Decision(0, Kind.RESET, 0, 0); // the client is gone: nothing reaches DoorFlow any more
            }
            if (!"GET".equals(method) && ++writesSeen == crashAtWrite) {
                count(Kind.LOST_ANSWER);
                return new Decision(0, Kind.LOST_ANSWER, 0, 0);
            }
        }
        for (OneShot shot : oneShots) {
            if (shot.route().equals(route) && shot.remaining()[0]-- > 0) {
                count(shot.fault());
                return new Decision(0, shot.fault(), 0, 0);
            }
        }
        long delay = 0;
        Kind fault = null;
        int status = 0;
        int retryIn = 0;
        for (FaultRule rule : rules) {
            if (!rule.matches(method, template)) {
                continue;
            }
            long jitter = rule.jitter().toMillis();
            delay += rule.latency().toMillis() + (jitter > 0 ? random.nextLong(jitter + 1) : 0);
            if (fault != null) {
                continue;
            }
            if (random.nextDouble() < rule.resetRate()) {
                fault = Kind.RESET;
            } else if (random.nextDouble() < rule.rateLimitRate()) {
                fault = Kind.RATE_LIMIT;
                retryIn = rule.retryIn();
            } else if (random.nextDouble() < rule.errorRate()) {
                fault = Kind.ERROR;
                status = rule.errorStatus();
            } else if (random.nextDouble() < rule.lostAnswerRate()) {
                fault = Kind.LOST_ANSWER;
            }
        }
        if (delay > 0) {
            count(Kind.LATENCY);
        }
        if (fault != null) {
            count(fault);
        }
        return new Decision(delay, fault, status, retryIn);
    }

    /** The injected answer of a test's failNext for this (authenticated) request, or null to handle it. */
    Response injected(String route) {
        for (Failure f : failures) {
            if (f.route().equals(route) && f.remaining()[0]-- > 0) {
                return switch (f.status()) {
                    case 429 -> Http.rateLimited(30);
                    case 422 -> Http.unprocessable("email", "has already been taken");
                    case 401 -> Http.error(401, "unauthorized", "The access token is invalid");
                    case 403 -> Http.error(403, "forbidden", "You are not authorized to access this resource");
                    case 404 -> Http.notFound();
                    default -> Http.error(f.status(), "internal_server_error", "An unexpected error occurred");
                };
            }
        }
        return null;
    }

    /** Runs (once) what was arranged to happen after a request to {@code route}. */
    void answered(String route) {
        for (Iterator<Aftermath> it = aftermaths.iterator(); it.hasNext();) {
            Aftermath next = it.next();
            if (next.route().equals(route)) {
                it.remove();
                next.action().run();
            }
        }
    }

    private void count(Kind kind) {
        injected.merge(kind, 1, Integer::sum);
    }
}
