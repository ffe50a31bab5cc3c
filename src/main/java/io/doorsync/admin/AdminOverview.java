package io.doorsync.admin;

import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import io.doorsync.Account;
import io.doorsync.accounts.AccountRegistry;
import io.doorsync.accounts.AccountState;
import io.doorsync.checkins.CheckInScheduler;
import io.doorsync.checkins.CheckIns;
import io.doorsync.doorflow.auth.AuthStatus;
import io.doorsync.doorflow.auth.DoorFlowAuth;
import io.doorsync.doorflow.oauth.DoorFlowOAuth;
import io.doorsync.doorflow.oauth.OAuthConnection;
import io.doorsync.plan.Plan;
import io.doorsync.run.RunMetrics;
import io.doorsync.store.QuarantineStore;
import io.doorsync.store.RunStore;
import io.doorsync.store.RunStore.RunView;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;

/**
 * The overview page of one account ({@code /admin?account=...}): every account with its state, and the chosen
 * one's connection, held run, recent runs, quarantine, refusals and check-ins. Rendered here for the page and for
 * the forms that answer with the page and an error ({@link AdminPage}, {@link AdminConnectionPage},
 * {@link AdminAccountActions}).
 */
@ApplicationScoped
public class AdminOverview {

    private static final int RECENT_RUNS = 10;
    private static final int RECENT_CHECK_INS = 10;
    /** The page lists this many quarantined members at most; the JSON API lists them all. */
    private static final int QUARANTINE_SHOWN = 100;
    private static final Pattern ADOPTION = Pattern.compile("^" + Plan.Quarantine.ADOPTION_NEEDS_APPROVAL
            + ": DoorFlow person #(\\d+) ");

    /** Everything the overview shows, for {@code account}. */
    public record View(Account account, List<AccountState> accounts, AccountState shown, AuthStatus auth,
            OAuthConnection.Status connection, String notConfigured, String notice, String error, List<RunView> runs,
            RunView held, List<QuarantineRow> quarantine, int quarantined, CheckInsView checkIns,
            List<RefusedRow> refused) {

        /** The installation's own account: its connection is the OAuth one made on this page, or the settings'. */
        public boolean own() {
            return Account.DEFAULT.equals(account);
        }

        /** The query string that keeps the page on this account ("" for the installation's own). */
        public String at() {
            return AdminOverview.at(account);
        }

        public boolean connected() {
            return connection != null && connection.state() == OAuthConnection.State.CONNECTED;
        }

        public boolean reconnectNeeded() {
            return connection != null && connection.state() == OAuthConnection.State.RECONNECT_NEEDED;
        }

        /** Quarantined members beyond those the page lists. */
        public int quarantineNotShown() {
            return quarantined - quarantine.size();
        }

        /** The authentication in use, in words. */
        public String authInUse() {
            if (!own()) {
                if (shown.throughOAuth()) {
                    return connected() || reconnectNeeded() ? "OAuth (the connection made on this page)"
                            : "none yet: press Connect to sign in to its DoorFlow account";
                }
                return "api".equals(shown.source()) ? "personal API key (added on this page or the admin API, kept"
                        + " encrypted)" : "personal API key (doorsync.accounts." + account.id() + ".doorflow-api-key)";
            }
            return switch (auth.auth()) {
                case "oauth" -> "OAuth (the connection made on this page)";
                case "api-key" -> "personal API key (doorsync.doorflow.api-key)";
                case "access-token" -> "static access token (doorsync.doorflow.access-token)";
                default -> "none: connect below, or set doorsync.doorflow.api-key";
            };
        }
    }

    /** A quarantined member; {@code adoptionOf} is the DoorFlow person it waits to adopt, if that is the reason. */
    public record QuarantineRow(String memberId, String reason, Instant since, Long adoptionOf) {
    }

    /** Recent check-ins, or why there are none. */
    public record CheckInsView(boolean enabled, String problem, List<CheckIns.CheckIn> recent) {
    }

    /** A member whose change DoorFlow refused run after run, and why (the last time). */
    public record RefusedRow(String memberId, int runs, String reason) {
    }

    private final Template page;
    private final DoorFlowOAuth oauth;
    private final DoorFlowAuth auth;
    private final AccountRegistry registry;
    private final RunStore runs;
    private final QuarantineStore quarantine;
    private final CheckIns checkIns;
    private final CheckInScheduler checkInReads;
    private final RunMetrics runMetrics;

    AdminOverview(@Location("admin.html") Template page, DoorFlowOAuth oauth, DoorFlowAuth auth,
            AccountRegistry registry, RunStore runs, QuarantineStore quarantine,
            CheckIns checkIns, CheckInScheduler checkInReads, RunMetrics runMetrics) {
        this.page = page;
        this.oauth = oauth;
        this.auth = auth;
        this.registry = registry;
        this.runs = runs;
        this.quarantine = quarantine;
        this.checkIns = checkIns;
        this.checkInReads = checkInReads;
        this.runMetrics = runMetrics;
    }

    /** The account named by the page's {@code account} parameter (the installation's own when there is none). */
    public Account account(String id) throws NoSuchAccount {
        Account account = Account.named(id);
        if (!registry.known(account)) {
            throw new NoSuchAccount();
        }
        return account;
    }

    /** The page's {@code account} parameter names no account doorsync has. */
    public static class NoSuchAccount extends Exception {
        NoSuchAccount() {
            super("There is no such doorsync account: the list below shows them all.");
        }
    }

    /** The overview of {@code account}, with a fixed notice or an error, if any. */
    public String render(Account account, String notice, String error) {
        List<AccountState> all = registry.states();
        AccountState shown = all.stream().filter(a -> a.account().equals(account)).findFirst().orElseThrow();
        boolean own = Account.DEFAULT.equals(account);
        OAuthConnection.Status status = own || shown.throughOAuth() && !shown.removed()
                ? oauth.connection(account).map(OAuthConnection::status).orElse(null) : null;
        RunView last = runs.lastFinishedRun(account);
        List<QuarantineRow> held = quarantine.quarantine(account, 0, QUARANTINE_SHOWN).stream().map(q -> {
            Matcher m = ADOPTION.matcher(q.reason());
            return new QuarantineRow(q.memberId(), q.reason(), q.since(), m.find() ? Long.valueOf(m.group(1)) : null);
        }).toList();
        return page.data("view", new View(account, all, shown, auth.status(), status,
                oauth.connection().isEmpty() ? oauth.whyNotConfigured() : null, notice, error,
                runs.runs(account, 0, RECENT_RUNS).items(), last != null && "held".equals(last.outcome()) ? last : null,
                held, (int) quarantine.quarantinedCount(account), checkIns(account),
                runMetrics.refusedRunAfterRun(account).entrySet().stream().limit(QUARANTINE_SHOWN).map(e ->
                        new RefusedRow(e.getKey(), e.getValue().runs(), e.getValue().reason())).toList())).render();
    }

    private CheckInsView checkIns(Account account) {
        CheckInScheduler.LastRead read = checkInReads.lastRead(account); // null where another replica reads them
        return new CheckInsView(checkInReads.enabled(), read == null ? null : read.problem(),
                checkIns.recent(account, RECENT_CHECK_INS));
    }

    /** The query string that keeps a link on {@code account}'s pages ("" for the installation's own). */
    static String at(Account account) {
        return Account.DEFAULT.equals(account) ? "" : "account=" + account.id();
    }
}
