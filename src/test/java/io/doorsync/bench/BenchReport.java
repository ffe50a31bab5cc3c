package io.doorsync.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** How the benchmarks report: a line printed and appended to target/benchmark.txt, percentiles, the machine. */
final class BenchReport {

    private static final Path REPORT = Path.of("target", "benchmark.txt");

    private BenchReport() {
    }

    static void line(String format, Object... args) throws IOException {
        String text = args.length == 0 ? format : format.formatted(args);
        System.out.println("[bench] " + text);
        Files.createDirectories(REPORT.getParent());
        Files.writeString(REPORT, text + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    static String percentiles(List<Double> seconds) {
        List<Double> sorted = new ArrayList<>(seconds);
        Collections.sort(sorted);
        return "p50 %.2f s, p95 %.2f s, max %.2f s (%d samples)".formatted(at(sorted, 0.5), at(sorted, 0.95),
                sorted.get(sorted.size() - 1), sorted.size());
    }

    private static double at(List<Double> sorted, double quantile) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(quantile * sorted.size()) - 1));
    }

    /** Waits until {@code condition} holds, polling every {@code poll}; fails after {@code patience}. */
    static void waitUntil(String what, java.util.function.BooleanSupplier condition, java.time.Duration patience,
            java.time.Duration poll) throws InterruptedException {
        java.time.Instant deadline = java.time.Instant.now().plus(patience);
        while (!condition.getAsBoolean()) {
            if (java.time.Instant.now().isAfter(deadline)) {
                throw new IllegalStateException(what + " did not happen within " + patience);
            }
            Thread.sleep(poll.toMillis());
        }
    }

    static String machine() throws IOException {
        String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                .findFirst().map(l -> l.replaceAll("^[^:]*:\\s*", "")).orElse("?");
        String memory = Files.readAllLines(Path.of("/proc/meminfo")).get(0).replaceAll("\\s+", " ");
        return Runtime.getRuntime().availableProcessors() + " cores (" + cpu + "), " + memory + ", Java "
                + System.getProperty("java.version");
    }
}
