package io.doorsync.simulator;

import java.time.Duration;
import java.util.Locale;

/**
 * What the simulated network and DoorFlow do to the requests of a route, at what rates (each 0 to 1, drawn
 * per request in this order): the connection is reset before DoorFlow handles the request (nothing applied),
 * a 429 with {@code retry_in} and Retry-After (nothing applied), a 5xx (nothing applied), or the request is
 * applied and its answer lost (the connection closes instead). Every answer, faulty or not, is delayed by
 * {@code latency} plus up to {@code jitter}.
 *
 * @param route "METHOD /template" as in {@link DoorFlowSimulator#calls()}; either half may be {@code *}, and
 *        the method {@code WRITE} means POST, PUT, PATCH or DELETE. Only the API (/api/...) is touched by a
 *        pattern with a {@code *} template; the OAuth endpoints must be named.
 */
public record FaultRule(String route, Duration latency, Duration jitter, double resetRate, double rateLimitRate,
        int retryIn, double errorRate, int errorStatus, double lostAnswerRate) {

    public FaultRule {
        if (route == null || !route.contains(" ") && !"*".equals(route)) {
            throw new IllegalArgumentException("a fault route is \"METHOD /template\" or \"*\", not " + route);
        }
        if (errorStatus < 500 || errorStatus > 599) {
            throw new IllegalArgumentException("a fault's error status is a 5xx, not " + errorStatus);
        }
        for (double rate : new double[] { resetRate, rateLimitRate, errorRate, lostAnswerRate }) {
            if (rate < 0 || rate > 1) {
                throw new IllegalArgumentException("a fault rate is between 0 and 1, not " + rate);
            }
        }
    }

    /** No fault yet on {@code route}: build one with the with... methods. */
    public static FaultRule on(String route) {
        return new FaultRule(route, Duration.ZERO, Duration.ZERO, 0, 0, 1, 0, 503, 0);
    }

    public FaultRule withLatency(Duration fixed, Duration upToMore) {
        return new FaultRule(route, fixed, upToMore, resetRate, rateLimitRate, retryIn, errorRate, errorStatus,
                lostAnswerRate);
    }

    public FaultRule withResets(double rate) {
        return new FaultRule(route, latency, jitter, rate, rateLimitRate, retryIn, errorRate, errorStatus,
                lostAnswerRate);
    }

    public FaultRule withRateLimits(double rate, int retryInSeconds) {
        return new FaultRule(route, latency, jitter, resetRate, rate, retryInSeconds, errorRate, errorStatus,
                lostAnswerRate);
    }

    public FaultRule withErrors(double rate, int status) {
        return new FaultRule(route, latency, jitter, resetRate, rateLimitRate, retryIn, rate, status,
                lostAnswerRate);
    }

    public FaultRule withLostAnswers(double rate) {
        return new FaultRule(route, latency, jitter, resetRate, rateLimitRate, retryIn, errorRate, errorStatus,
                rate);
    }

    boolean matches(String method, String template) {
        if ("*".equals(route)) {
            return template.startsWith("/api/");
        }
        int space = route.indexOf(' ');
        String m = route.substring(0, space).toUpperCase(Locale.ROOT);
        String t = route.substring(space + 1).trim();
        boolean methodMatches = "*".equals(m) || m.equals(method)
                || "WRITE".equals(m) && !"GET".equals(method) && !"HEAD".equals(method);
        boolean templateMatches = "*".equals(t) ? template.startsWith("/api/") : t.equals(template);
        return methodMatches && templateMatches;
    }
}
