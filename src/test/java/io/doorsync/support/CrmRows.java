package io.doorsync.support;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.doorsync.plan.CrmMember;

/**
 * The one way tests make CRM members: a row of the contract's members relation with its teams, as the planner's
 * record (plan table tests) or as SQL rows (tests against PostgreSQL), from the same defaults: an active member
 * named First{id} Last{id}.
 */
public final class CrmRows {

    private CrmRows() {
    }

    /** Runs one SQL statement with its parameters (TestWorld.sql). */
    @FunctionalInterface
    public interface Sql {
        int run(String sql, Object... args);
    }

    public static Member member(String id, String email, String... teams) {
        return new Member(id, email, teams);
    }

    /** One member row, built fluently; {@link #record()} or {@link #insert} it. */
    public static final class Member {
        private final String id;
        private final String email;
        private final Set<String> teams;
        private String firstName;
        private String lastName;
        private String status = CrmMember.ACTIVE;
        private String jobTitle;

        private Member(String id, String email, String... teams) {
            this.id = id;
            this.email = email;
            this.firstName = "First" + id;
            this.lastName = "Last" + id;
            this.teams = new LinkedHashSet<>(List.of(teams));
        }

        public Member named(String first, String last) {
            this.firstName = first;
            this.lastName = last;
            return this;
        }

        public Member status(String status) {
            this.status = status;
            return this;
        }

        public Member jobTitle(String jobTitle) {
            this.jobTitle = jobTitle;
            return this;
        }

        /** The row as the CRM reader gives it to the planner. */
        public CrmMember record() {
            return new CrmMember(id, email, firstName, lastName, null, null, jobTitle, status, (Instant) null, null,
                    teams);
        }

        /** The row, and one team_members row per team, written to the CRM schema {@code crm}. */
        public void insert(Sql sql) {
            insertInto("crm", sql);
        }

        /** The same, written to CRM schema {@code schema} (another account's, say). */
        public void insertInto(String schema, Sql sql) {
            sql.run("insert into " + schema + ".members (id, email, first_name, last_name, status, job_title) values"
                    + " (?, ?, ?, ?, ?, ?)", id, email, firstName, lastName, status, jobTitle);
            teams.forEach(t -> sql.run("insert into " + schema + ".team_members (team_id, member_id) values (?, ?)", t,
                    id));
        }
    }
}
