package io.doorsync.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import io.doorsync.support.ThrowawayDatabase;

/**
 * V15 makes the account explicit in place: an installation's state at V14 (a row in every table) comes through
 * whole, every row belonging to the default account, and what was one per installation is now one per account.
 */
class AccountMigrationTest {

    @Test
    void everyRowOfAnInstallationComesThroughAsTheDefaultAccounts() throws SQLException {
        try (ThrowawayDatabase db = ThrowawayDatabase.create();
                Connection c = DriverManager.getConnection(db.jdbcUrl, db.username, db.password);
                Statement s = c.createStatement()) {
            flyway(db, "14").migrate();
            s.execute("set search_path = doorsync");
            s.execute("insert into person_link (member_id, person_id, applied_hash) values ('M1', 5, 'h1')");
            s.execute("insert into sync_run (id, trigger, started_at) values (7, 'interval', now())");
            s.execute("insert into change_journal (run_id, member_id, kind, outcome) values (7, 'M1', 'create',"
                    + " 'applied')");
            s.execute("insert into quarantine (member_id, reason) values ('M2', 'email is missing')");
            s.execute("update push_state set pending = true");
            s.execute("insert into account_pin (id, account_id, pinned_at) values (1, 'acc_1', now())");
            s.execute("insert into check_in_cursor (id, read_up_to) values (1, now())");
            s.execute("insert into check_in (event_id, at, admitted, event_code) values (1, now(), true, 10)");
            s.execute("insert into stamp_in_flight (member_id, started_at) values ('M3', now())");
            s.execute("insert into adoption_approval (member_id, person_id, approved_at) values ('M4', 9, now())");
            s.execute("insert into oauth_connection (id, state) values ('default', 'connected')");

            flyway(db, "latest").migrate();

            for (String table : new String[] {"person_link", "sync_run", "change_journal", "quarantine",
                    "push_state", "account_pin", "check_in_cursor", "check_in", "stamp_in_flight",
                    "adoption_approval", "oauth_connection"}) {
                assertThat(one(s, "select count(*) || ' ' || string_agg(account, ',') from " + table))
                        .as(table).isEqualTo("1 default");
            }
            assertThat(one(s, "select pending::text from push_state where account = 'default'")).isEqualTo("true");
            assertThat(one(s, "select account_id from account_pin where account = 'default'")).isEqualTo("acc_1");
            // Keyed by account: the same member may be linked in another account, but not twice in one.
            s.execute("insert into account (id) values ('second')");
            s.execute("insert into person_link (account, member_id, person_id, applied_hash) values ('second', 'M1',"
                    + " 6, 'h2')");
            assertThat(one(s, "select count(*)::text from person_link where member_id = 'M1'")).isEqualTo("2");
            s.execute("insert into push_state (account, pending) values ('second', false)");
            assertThat(one(s, "select count(*)::text from push_state")).isEqualTo("2");
        }
    }

    private static Flyway flyway(ThrowawayDatabase db, String target) {
        return Flyway.configure().dataSource(db.jdbcUrl, db.username, db.password).schemas("doorsync")
                .defaultSchema("doorsync").locations("classpath:db/migration").target(target).load();
    }

    private static String one(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
