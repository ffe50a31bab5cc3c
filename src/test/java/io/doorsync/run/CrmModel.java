package io.doorsync.run;

import static io.doorsync.support.TestWorld.HOT;
import static io.doorsync.support.TestWorld.LAB;
import static io.doorsync.support.TestWorld.OFFICE;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import io.doorsync.support.TestWorld;

/**
 * The CRM of a generated scenario, kept twice: as rows in PostgreSQL (what doorsync reads) and as this model
 * (what the test expects from). Mutations change both; {@link #expected()} is the model's f(CRM), written
 * from the sync rules (docs/sync-rules.md) and not from the planner, so it can disagree with it.
 */
final class CrmModel {

    /** Teams and the DoorFlow groups they open; "podcast" opens none. */
    static final Map<String, Long> TEAMS = new TreeMap<>(Map.of("hot", HOT, "office", OFFICE, "lab", LAB));
    static final Set<Long> MANAGED_GROUPS = Set.of(HOT, OFFICE, LAB);

    /** One members row, its teams and its credentials (slug → value). */
    static final class Row {
        final String id;
        String email;
        String firstName;
        String lastName;
        String status = "active";
        final Set<String> teams = new TreeSet<>();
        final Map<String, String> credentials = new TreeMap<>();

        Row(String id) {
            this.id = id;
        }

        /** A row doorsync must quarantine (only an active one is; a leaver leaves whatever its data). */
        boolean bad() {
            return active() && (email == null || !email.contains("@") || lastName == null);
        }

        boolean active() {
            return "active".equals(status);
        }

        Set<Long> groups() {
            Set<Long> groups = new TreeSet<>();
            teams.forEach(t -> {
                if (TEAMS.get(t) != null) {
                    groups.add(TEAMS.get(t));
                }
            });
            return groups;
        }
    }

    /** What DoorFlow must hold for the members: who has access and how, who has none, who is quarantined. */
    record Expected(Map<String, Row> withAccess, Set<String> withoutAccess, Set<String> quarantined) {
    }

    private final TestWorld world;
    private final Random random;
    private final Map<String, Row> rows = new LinkedHashMap<>();
    private final Set<String> everSeen = new TreeSet<>();
    private int next;

    CrmModel(TestWorld world, Random random) {
        this.world = world;
        this.random = random;
    }

    Expected expected() {
        Map<String, Row> withAccess = new TreeMap<>();
        Set<String> quarantined = new TreeSet<>();
        rows.values().forEach(r -> {
            if (r.bad()) {
                quarantined.add(r.id);
            } else if (r.active()) {
                withAccess.put(r.id, r);
            }
        });
        Set<String> withoutAccess = new TreeSet<>(everSeen);
        withoutAccess.removeAll(withAccess.keySet());
        withoutAccess.removeAll(quarantined);
        return new Expected(withAccess, withoutAccess, quarantined);
    }

    /** One random change to the CRM, described for the failure message. */
    String mutate() {
        List<Row> all = new ArrayList<>(rows.values());
        if (all.isEmpty()) {
            return join();
        }
        Row r = all.get(random.nextInt(all.size()));
        return switch (random.nextInt(10)) {
            case 0, 1 -> join();
            case 2 -> set(r, "status", r.status = r.active() ? (random.nextBoolean() ? "cancelled" : "suspended")
                    : "active");
            case 3 -> remove(r);
            case 4 -> toggleTeam(r);
            case 5 -> set(r, "email", r.email = "m" + r.id.toLowerCase() + "." + ++next + "@crm.test");
            case 6 -> set(r, "first_name", r.firstName = "First" + ++next);
            case 7, 8 -> changeCredential(r);
            default -> breakOrMend(r);
        };
    }

    String join() {
        Row r = new Row("M" + ++next);
        r.email = "m" + next + "@crm.test";
        r.firstName = "First" + next;
        r.lastName = "Last" + next;
        world.sql("insert into crm.members (id, email, first_name, last_name, status) values (?, ?, ?, ?, 'active')",
                r.id, r.email, r.firstName, r.lastName);
        rows.put(r.id, r);
        everSeen.add(r.id);
        List<String> teams = new ArrayList<>(List.of("hot", "office", "lab", "podcast"));
        for (int n = random.nextInt(3); n > 0; n--) {
            toggleTeam(r, teams.remove(random.nextInt(teams.size())));
        }
        if (random.nextInt(3) > 0) {
            changeCredential(r);
        }
        return "join " + r.id + " " + r.teams + " " + r.credentials.keySet();
    }

    private String remove(Row r) {
        world.sql("delete from crm.member_credentials where member_id = ?", r.id);
        world.sql("delete from crm.team_members where member_id = ?", r.id);
        world.sql("delete from crm.members where id = ?", r.id);
        rows.remove(r.id);
        return "row of " + r.id + " deleted";
    }

    private String toggleTeam(Row r) {
        return toggleTeam(r, List.of("hot", "office", "lab", "podcast").get(random.nextInt(4)));
    }

    private String toggleTeam(Row r, String team) {
        if (r.teams.remove(team)) {
            world.sql("delete from crm.team_members where team_id = ? and member_id = ?", team, r.id);
            return r.id + " leaves team " + team;
        }
        r.teams.add(team);
        world.sql("insert into crm.team_members (team_id, member_id) values (?, ?)", team, r.id);
        return r.id + " joins team " + team;
    }

    /** A new card number or PIN (never one used before in the scenario), or one taken away. */
    private String changeCredential(Row r) {
        String slug = random.nextBoolean() ? "card" : "pin";
        if (r.credentials.containsKey(slug) && random.nextInt(3) == 0) {
            r.credentials.remove(slug);
            world.sql("delete from crm.member_credentials where member_id = ? and credential_type = ?", r.id, slug);
            return r.id + " loses its " + slug;
        }
        String value = "card".equals(slug) ? "C-" + ++next : String.valueOf(100_000 + ++next);
        r.credentials.put(slug, value);
        world.sql("delete from crm.member_credentials where member_id = ? and credential_type = ?", r.id, slug);
        world.sql("insert into crm.member_credentials (member_id, credential_type, value) values (?, ?, ?)", r.id, slug,
                value);
        return r.id + " gets a new " + slug;
    }

    /** A row made unusable (an email that is none, a missing last name), or mended. */
    private String breakOrMend(Row r) {
        if (r.email == null || !r.email.contains("@")) {
            return set(r, "email", r.email = "m" + r.id.toLowerCase() + "." + ++next + "@crm.test");
        }
        if (r.lastName == null) {
            return set(r, "last_name", r.lastName = "Last" + ++next);
        }
        return random.nextBoolean() ? set(r, "email", r.email = "not-an-email") : set(r, "last_name", r.lastName = null);
    }

    private String set(Row r, String column, String value) {
        world.sql("update crm.members set " + column + " = ? where id = ?", value, r.id);
        return r.id + "." + column + " = " + value;
    }

    /** The rows now, ordered by id (for a failure message). */
    String describe() {
        StringBuilder out = new StringBuilder();
        rows.values().stream().sorted(Comparator.comparing(r -> r.id)).forEach(r -> out.append("\n  ").append(r.id)
                .append(' ').append(r.status).append(' ').append(r.email).append(' ').append(r.lastName).append(' ')
                .append(r.teams).append(' ').append(r.credentials));
        return out.toString();
    }
}
