package io.doorsync.simulator;

/** One API request the simulator received and the answer it gave (kept when exchange recording is on). */
public record Exchange(Http.Request request, Http.Response response) {
}
