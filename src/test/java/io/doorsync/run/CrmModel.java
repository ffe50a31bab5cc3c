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

import io.doorsync.support.CrmRows;
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
        /** The status of a second row with this id (a members view joining two memberships), or null. */
        String repeated;
        final Set<String> teams = new TreeSet<>();
        final Map<String, String> credentials = new TreeMap<>();

        Row(String id) {
            this.id = id;
        }

        /**
         * A row doorsync must quarantine: an id that appears twice, or an active row with bad data (a leaver leaves
         * whatever its data).
         */
        boolean bad() {
            return repeated != null || active() && (email == null || !email.contains("@") || lastName == null);
        }

        /** An id with two rows, one of which is not active: its access goes, quarantined or not. */
        boolean leavingRepeated() {
            return repeated != null && (!active() || !"active".equals(repeated));
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

    /**
     * What DoorFlow must hold for the members: who has access and how, who has none (quarantined or not), who is
     * quarantined.
     */
    record Expected(Map<String, Row> withAccess, Set<String> withoutAccess, Set<String> quarantined) {
    }

    private final TestWorld world;
    private final Random random;
    private final Map<String, Row> rows = new LinkedHashMap<>();
    private final Set<String> everSeen = new TreeSet<>();
    private int next;
    private Row last;

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
        rows.values().stream().filter(Row::leavingRepeated).forEach(r -> withoutAccess.add(r.id));
        return new Expected(withAccess, withoutAccess, quarantined);
    }

    /** The member who joined last. */
    Row last() {
        return last;
    }

    /** The row of a member, or null once its row is deleted. */
    Row row(String id) {
        return rows.get(id);
    }

    /** The rows now, in the order they joined. */
    List<Row> rows() {
        return List.copyOf(rows.values());
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
            case 7 -> changeCredential(r);
            case 8 -> random.nextBoolean() ? changeCredential(r) : repeatOrNot(r);
            default -> breakOrMend(r);
        };
    }

    /**
     * A second row with the member's id (a members view joining memberships: an old cancelled one, or two active
     * ones), or that second row gone again. The second row carries job_title 'repeat' to be told apart.
     */
    private String repeatOrNot(Row r) {
        if (r.repeated != null) {
            world.sql("delete from crm.members where id = ? and job_title = 'repeat'", r.id);
            r.repeated = null;
            return r.id + "'s second row deleted";
        }
        r.repeated = random.nextBoolean() ? "cancelled" : "active";
        CrmRows.member(r.id, r.email).named(r.firstName, r.lastName).status(r.repeated).jobTitle("repeat")
                .insert(world::sql);
        return r.id + " gets a second row, " + r.repeated;
    }

    String join() {
        return join(true);
    }

    /** A member joins, with or without (maybe) a credential; returns what happened. The new row: {@link #last()}. */
    String join(boolean maybeCredential) {
        Row r = new Row("M" + ++next);
        last = r;
        r.email = "m" + next + "@crm.test";
        r.firstName = "First" + next;
        r.lastName = "Last" + next;
        CrmRows.member(r.id, r.email).named(r.firstName, r.lastName).insert(world::sql);
        rows.put(r.id, r);
        everSeen.add(r.id);
        List<String> teams = new ArrayList<>(List.of("hot", "office", "lab", "podcast"));
        for (int n = random.nextInt(3); n > 0; n--) {
            toggleTeam(r, teams.remove(random.nextInt(teams.size())));
        }
        if (maybeCredential && random.nextInt(3) > 0) {
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

    /** Both rows of a repeated id change, as a view's rows would, but for the second row's own status. */
    private String set(Row r, String column, String value) {
        world.sql("update crm.members set " + column + " = ? where id = ?" + ("status".equals(column)
                ? " and job_title is distinct from 'repeat'" : ""), value, r.id);
        return r.id + "." + column + " = " + value;
    }

    /** The rows now, ordered by id (for a failure message). */
    String describe() {
        StringBuilder out = new StringBuilder();
        rows.values().stream().sorted(Comparator.comparing(r -> r.id)).forEach(r -> out.append("\n  ").append(r.id)
                .append(' ').append(r.status).append(r.repeated == null ? "" : "+" + r.repeated).append(' ').append(r.email).append(' ').append(r.lastName).append(' ')
                .append(r.teams).append(' ').append(r.credentials));
        return out.toString();
    }
}
