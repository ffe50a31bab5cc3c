package io.doorsync.simulator;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import io.doorsync.simulator.Http.Response;

/**
 * Test controls that make DoorFlow misbehave on purpose: the next requests to a route fail with a status, or a
 * colleague edits DoorFlow by hand right after a request was answered. Routes are "METHOD /template", as in
 * {@link Recorder#calls()}.
 */
final class Faults {

    private record Failure(String route, int status, int[] remaining) {
    }

    private record Aftermath(String route, Runnable action) {
    }

    private final List<Failure> failures = new ArrayList<>();
    private final List<Aftermath> aftermaths = new ArrayList<>();

    void clear() {
        failures.clear();
        aftermaths.clear();
    }

    void failNext(String route, int status, int times) {
        failures.add(new Failure(route, status, new int[] { times }));
    }

    void afterNext(String route, Runnable action) {
        aftermaths.add(new Aftermath(route, action));
    }

    /** The injected answer for this request, or null to handle it normally. */
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
}
