package io.doorsync.packaging;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.flywaydb.core.Flyway;

import io.doorsync.support.CrmRows;
import io.doorsync.support.PostgresAndSimulator;
import io.doorsync.support.ThrowawayDatabase;

/**
 * One doorsync installation as an operator runs it: the packaged production build (target/quarkus-app) as its
 * own process, with a database of its own holding its CRM (schema crm) and doorsync's tables.
 */
public final class Installation implements AutoCloseable {

    static final Path APP = Path.of("target", "quarkus-app", "quarkus-run.jar");
    static final Duration PATIENCE = Duration.ofSeconds(60);

    public final ThrowawayDatabase database;
    public final List<String> log = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, String> settings = new HashMap<>();
    private final boolean ownsDatabase;
    private Process process;
    private int httpPort;
    private int managementPort;

    public Installation(String doorflowUrl) {
        this.database = ThrowawayDatabase.create();
        this.ownsDatabase = true;
        Flyway.configure().dataSource(database.jdbcUrl, database.username, database.password).schemas("crm")
                .locations("classpath:crm/contract").placeholders(Map.of("crm_schema", "crm")).load().migrate();
        sql("insert into crm.teams (id, name, doorflow_group_id) values ('hot-desk', 'Hot desk', 101)");
        settings.put("QUARKUS_DATASOURCE_JDBC_URL", database.jdbcUrl);
        settings.put("QUARKUS_DATASOURCE_USERNAME", database.username);
        settings.put("QUARKUS_DATASOURCE_PASSWORD", database.password);
        settings.put("DOORSYNC_DOORFLOW_BASE_URL", doorflowUrl);
        settings.put("DOORSYNC_DOORFLOW_API_KEY", "demo");
        settings.put("DOORSYNC_SYNC_INTERVAL", "1s");
        settings.put("DOORSYNC_SYNC_INITIAL_DELAY", "0s");
    }

    /** A second replica of {@code installation}: another process on the same database (and so the same CRM). */
    private Installation(Installation installation) {
        this.database = installation.database;
        this.ownsDatabase = false;
        settings.putAll(installation.settings);
    }

    public static Installation replicaOf(Installation installation) {
        return new Installation(installation);
    }

    public Installation with(String variable, String value) {
        settings.put(variable, value);
        return this;
    }

    /** Another CRM schema with the contract's relations (another account's), empty. */
    public Installation crmSchema(String schema) {
        Flyway.configure().dataSource(database.jdbcUrl, database.username, database.password).schemas(schema)
                .locations("classpath:crm/contract").placeholders(Map.of("crm_schema", schema)).load().migrate();
        return this;
    }

    /** A member of the hot-desk team (DoorFlow group 101). */
    public Installation member(String id, String email) {
        CrmRows.member(id, email, "hot-desk").named("First", "Last" + id).insert(this::sql);
        return this;
    }

    public void start() throws IOException {
        ProcessBuilder pb = new ProcessBuilder(SimulatorProcess.java(), "-jar", APP.toString()).redirectErrorStream(true);
        pb.environment().putAll(settings);
        httpPort = PostgresAndSimulator.freePort();
        managementPort = PostgresAndSimulator.freePort();
        pb.environment().put("QUARKUS_HTTP_PORT", String.valueOf(httpPort));
        pb.environment().put("QUARKUS_MANAGEMENT_PORT", String.valueOf(managementPort));
        process = pb.start();
        Process started = process;
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(started.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null;) {
                    log.add(line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        });
        reader.setDaemon(true);
        reader.start();
    }

    /** The log so far, a copy: the reader thread goes on adding to {@link #log} while a test looks. */
    public List<String> lines() {
        return List.copyOf(log); // a synchronized list's toArray holds its lock
    }

    /** The running process, for what the operating system says of it (memory, CPU time). */
    public ProcessHandle process() {
        return process.toHandle();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + httpPort;
    }

    public String managementUrl() {
        return "http://127.0.0.1:" + managementPort;
    }

    /** SIGTERM, as Kubernetes stops a pod; true when it stopped within the bound. */
    public boolean stop() throws InterruptedException {
        if (process == null) {
            return true;
        }
        process.destroy();
        boolean stopped = process.waitFor(30, TimeUnit.SECONDS);
        if (!stopped) {
            process.destroyForcibly();
        }
        process = null;
        return stopped;
    }

    /** SIGKILL: the process dies at once, in the middle of whatever it was doing. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
        process = null;
    }

    /** Waits until {@code condition} holds, failing with the installation's log if it does not in time. */
    public void await(String what, BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(PATIENCE);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline) || (process != null && !process.isAlive())) {
                throw new AssertionError(what + " did not happen; doorsync's log:\n" + String.join("\n", List.copyOf(log)));
            }
            Thread.sleep(200);
        }
    }

    /** How many runs have finished. */
    public long finishedRuns() {
        return count("select count(*) from doorsync.sync_run where finished_at is not null");
    }

    /** One statement with its parameters; how many rows it touched. */
    public int sql(String sql, Object... args) {
        try (Connection c = database.connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            ps.execute();
            return ps.getUpdateCount();
        } catch (Exception e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    public long count(String sql) {
        try (Connection c = database.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (Exception e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** The first column of every row. */
    public List<String> texts(String sql) {
        List<String> texts = new ArrayList<>();
        try (Connection c = database.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                texts.add(rs.getString(1));
            }
            return texts;
        } catch (Exception e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** Started, and neither stopped nor killed. */
    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    public String text(String sql) {
        try (Connection c = database.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        } catch (Exception e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
        if (ownsDatabase) {
            database.close();
        }
    }
}
