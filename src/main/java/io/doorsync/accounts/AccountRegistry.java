package io.doorsync.accounts;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.doorsync.Account;
import io.doorsync.DoorsyncConfig;
import io.doorsync.crm.CrmReaders;
import io.doorsync.doorflow.DoorFlowGateways;
import io.doorsync.doorflow.auth.AuthStatus;
import io.doorsync.doorflow.auth.DoorFlowAuth;
import io.doorsync.doorflow.oauth.DoorFlowOAuth;
import io.doorsync.doorflow.oauth.OAuthConnection;
import io.doorsync.doorflow.oauth.OAuthCredentials;
import io.doorsync.doorflow.oauth.TokenCipher;
import io.doorsync.store.AccountStore;
import io.doorsync.store.AccountStore.AccountRow;
import io.quarkus.runtime.Startup;

/**
 * Which doorsync accounts there are and which are synced. The installation's own ({@code default}) is synced while
 * it has a DoorFlow connection, or while it is the only account (exactly as before accounts); the others are
 * declared in settings ({@code doorsync.accounts.<id>.*}, written to the account table at start-up) or added
 * through the admin page or API (with an API key kept encrypted, or connected through OAuth on the page), and are
 * synced unless paused or removed. Each refresh
 * connects every account's DoorFlow gateway and CRM reader, so a change made on another replica is taken up by
 * the next tick here.
 */
@Startup // a declared account with a wrong setting stops doorsync at start, naming it
@ApplicationScoped
public class AccountRegistry {

    private static final Logger LOG = Logger.getLogger(AccountRegistry.class);
    /** An account id: it names settings keys, lock keys and metric labels, so it is kept plain. */
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");
    static final String SETTINGS = "settings";
    static final String API = "api";

    private final DoorsyncConfig config;
    private final AccountStore store;
    private final DoorFlowGateways gateways;
    private final CrmReaders crms;
    private final DoorFlowAuth installationAuth;
    private final DoorFlowOAuth oauth;
    private final Optional<TokenCipher> cipher;
    /** An account with this id exists already (not removed). */
    public static class AccountExists extends IllegalStateException {
        AccountExists(String message) {
            super(message);
        }
    }

    /** What the last refresh found, published whole: with why each account that could not be connected is not. */
    private record Snapshot(List<Account> synced, Map<String, List<Account>> bySchema, Map<Account, String> problems) {
    }

    private volatile Snapshot snapshot = new Snapshot(List.of(Account.DEFAULT), Map.of(), Map.of());

    AccountRegistry(DoorsyncConfig config, AccountStore store, DoorFlowGateways gateways, CrmReaders crms,
            DoorFlowAuth installationAuth, DoorFlowOAuth oauth) {
        this.oauth = oauth;
        this.config = config;
        this.store = store;
        this.gateways = gateways;
        this.crms = crms;
        this.installationAuth = installationAuth;
        this.cipher = config.oauth().tokenEncryptionKey().filter(k -> !k.isBlank()).map(TokenCipher::new);
        declareFromSettings();
        refresh();
    }

    /** The accounts synced now, as of the last refresh. */
    public List<Account> synced() {
        return snapshot.synced();
    }

    /** The accounts besides the installation's own synced from CRM schema {@code schema} (a CRM wake-up's). */
    public List<Account> withCrmSchema(String schema) {
        return snapshot.bySchema().getOrDefault(schema, List.of());
    }

    /**
     * Why the account could not be connected at the last refresh (its key does not decrypt, its schema is gone
     * from the settings, the installation has no DoorFlow connection), or null.
     */
    public String problem(Account account) {
        return snapshot.problems().get(account);
    }

    /** Every account, removed ones too, with its state (one query however many there are), by id. */
    public List<AccountState> states() {
        Snapshot now = snapshot; // as of the last tick (a refresh here would race the tick's)
        return store.overview().stream().map(a -> new AccountState(a.account(), a.source(), a.crmSchema(),
                a.hasApiKey(), a.paused(), a.removedAt(), now.synced().contains(a.account()),
                now.problems().get(a.account()), a.doorflowAccount(), a.lastRun(), a.lastSuccessAt(), a.firstRunAt(),
                a.quarantined())).toList();
    }

    /**
     * Whether a run of the account may be started now, by an operator too: it is there and neither paused nor
     * removed, as the table says now (a paused account's DoorFlow is left exactly as it is).
     */
    public boolean runnable(Account account) {
        return store.active(account);
    }

    /** Whether doorsync has this account (removed ones too: their history is still there). */
    public boolean known(Account account) {
        return store.exists(account);
    }

    /** An account added on the page without a key, not removed: it connects through OAuth on its page. */
    public boolean connectsThroughOAuth(Account account) {
        return states().stream().anyMatch(a -> a.account().equals(account) && a.throughOAuth() && !a.removed());
    }

    /** Reads the accounts again (another replica may have added, paused or removed one); the ones synced now. */
    public synchronized List<Account> refresh() {
        List<Account> active = new ArrayList<>();
        Map<String, List<Account>> schemas = new HashMap<>();
        Map<Account, String> problems = new HashMap<>();
        List<AccountRow> rows = store.accounts();
        Set<String> stored = new HashSet<>();
        rows.forEach(r -> stored.add(r.account().id()));
        // A row deleted by hand, or removed by a replica started with other settings: these settings still declare
        // it, so it is declared again (an account goes when no replica's settings declare it any more).
        rows.stream().filter(r -> r.removedAt() != null).forEach(r -> stored.remove(r.account().id()));
        if (!stored.containsAll(config.accounts().keySet())) {
            config.accounts().forEach((id, declared) -> {
                if (!stored.contains(id)) {
                    store.declare(new Account(id), SETTINGS, declared.crmSchema(), null, declared.paused());
                }
            });
            rows = store.accounts();
        }
        for (AccountRow row : rows) {
            Account account = row.account();
            if (Account.DEFAULT.equals(account)) {
                continue;
            }
            if (row.removedAt() != null) {
                gateways.disconnect(account);
                crms.forget(account);
                oauth.dropped(account);
                continue;
            }
            try {
                connect(row);
                crms.use(account, row.crmSchema());
            } catch (RuntimeException e) {
                String why = e.getMessage() != null ? e.getMessage() : e.toString();
                if (!why.equals(snapshot.problems().get(account))) { // once, until it changes
                    LOG.errorf("account %s is not synced: %s", account, why);
                }
                problems.put(account, why);
                continue;
            }
            if (!row.paused()) {
                active.add(account);
                schemas.computeIfAbsent(row.crmSchema(), s -> new ArrayList<>()).add(account);
            }
        }
        AuthStatus own = installationAuth.status();
        if (active.isEmpty() || own.usable()) {
            active.add(0, Account.DEFAULT);
        } else {
            problems.put(Account.DEFAULT, own.problem() != null ? own.problem() : "no DoorFlow connection: connect it"
                    + " on /admin, or set doorsync.doorflow.api-key");
        }
        snapshot = new Snapshot(List.copyOf(active), Map.copyOf(schemas), Map.copyOf(problems));
        return snapshot.synced();
    }

    /**
     * Adds an account through the admin page or API (or declares it again after its removal), synced from the next
     * tick. Without an API key it is to be connected through OAuth ({@code DoorFlowOAuth.connection(account)}).
     */
    public void add(Account account, String crmSchema, String apiKey) {
        requireId(account, "the account id");
        if (Account.DEFAULT.equals(account) || config.accounts().containsKey(account.id())) {
            throw new IllegalArgumentException("account '" + account + "' is the installation's own or declared in"
                    + " settings; change it there");
        }
        boolean withKey = apiKey != null && !apiKey.isBlank();
        if (!withKey && oauth.connection().isEmpty()) {
            throw new IllegalArgumentException("account '" + account + "' needs its DoorFlow personal API key (or an"
                    + " OAuth connection, and " + oauth.whyNotConfigured() + ")");
        }
        if (store.accounts().stream().anyMatch(r -> r.account().equals(account) && r.removedAt() == null)) {
            // Not an upsert: another key or schema under a known id would write another tenant's DoorFlow.
            throw new AccountExists("account '" + account + "' exists already; remove it first to add it"
                    + " again with another key or schema");
        }
        crms.use(account, crmSchema); // refuses a schema that is no plain identifier, by name
        TokenCipher keys = cipher.orElseThrow(() -> new IllegalStateException("an account added at run time keeps"
                + " its API key encrypted: set doorsync.oauth.token-encryption-key (DOORSYNC_OAUTH_TOKEN_ENCRYPTION_KEY)"));
        store.declare(account, API, crmSchema, withKey ? keys.encrypt(apiKey, context(account)) : null, false);
        LOG.infof("account %s added (CRM schema %s, %s)", account, crmSchema, withKey ? "its API key kept encrypted"
                : "to be connected through OAuth on its page");
        refresh();
    }

    /** Pauses or resumes syncing an account; whether it exists (and was not removed). */
    public boolean setPaused(Account account, boolean paused) {
        boolean known = store.setPaused(account, paused);
        if (known) {
            LOG.infof("account %s %s", account, paused ? "paused: its DoorFlow is left as it is" : "resumed");
            refresh();
        }
        return known;
    }

    /**
     * Removes an account added through the admin API: no longer synced, its API key forgotten, its DoorFlow left
     * exactly as it is (removing an account never removes anyone's access). Whether there was one to remove.
     */
    public boolean remove(Account account) {
        if (Account.DEFAULT.equals(account)) {
            throw new IllegalArgumentException("'default' is the installation's own account; it cannot be removed");
        }
        if (config.accounts().containsKey(account.id())) {
            throw new IllegalArgumentException("account '" + account + "' is declared in settings; remove it there");
        }
        boolean removed = store.remove(account, Instant.now());
        if (removed) {
            oauth.connection(account).filter(OAuthConnection::exists).ifPresent(OAuthConnection::disconnect);
            oauth.forget(account);
            LOG.infof("account %s removed: no longer synced, its DoorFlow left as it is", account);
            refresh();
        }
        return removed;
    }

    /** The settings' accounts into the table; a settings account no longer declared is removed. */
    private void declareFromSettings() {
        Set<String> declared = new HashSet<>();
        for (Map.Entry<String, DoorsyncConfig.DeclaredAccount> e : config.accounts().entrySet()) {
            Account account = new Account(e.getKey());
            requireId(account, "doorsync.accounts." + e.getKey());
            if (Account.DEFAULT.equals(account)) {
                throw new IllegalArgumentException("doorsync.accounts.default: 'default' is the installation's own"
                        + " account (doorsync.crm.schema and the connection on /admin); name the account otherwise");
            }
            crms.use(account, e.getValue().crmSchema()); // a wrong schema name stops start-up, naming the setting
            store.declare(account, SETTINGS, e.getValue().crmSchema(), null, e.getValue().paused());
            declared.add(e.getKey());
        }
        for (AccountRow row : store.accounts()) {
            if (SETTINGS.equals(row.source()) && row.removedAt() == null && !declared.contains(row.account().id())) {
                store.remove(row.account(), Instant.now());
                LOG.warnf("account %s is no longer declared in settings: no longer synced, its DoorFlow left as it is",
                        row.account());
            }
        }
    }

    /** Connects the account's gateway: with its key from the settings or the table, or its OAuth connection. */
    private void connect(AccountRow row) {
        Account account = row.account();
        if (SETTINGS.equals(row.source())) {
            DoorsyncConfig.DeclaredAccount declared = config.accounts().get(account.id());
            if (declared == null) {
                throw new IllegalStateException("it is no longer declared in settings");
            }
            gateways.connect(account, declared.doorflowApiKey());
        } else if (row.apiKey() != null) {
            gateways.connect(account, cipher.orElseThrow(() -> new IllegalStateException("its API key is encrypted"
                    + " and doorsync.oauth.token-encryption-key is not set")).decrypt(row.apiKey(), context(account)));
        } else {
            OAuthConnection connection = oauth.connection(account).orElseThrow(() -> new IllegalStateException(
                    "it has no API key, and " + oauth.whyNotConfigured()));
            OAuthConnection.Status status = connection.status();
            if (status.state() == OAuthConnection.State.NOT_CONNECTED) {
                throw new IllegalStateException("it is not connected to DoorFlow: press Connect on its page,"
                        + " /admin?account=" + account);
            }
            // Reconnected to another DoorFlow account: a new gateway, which asks DoorFlow again (the pin then holds).
            gateways.connect(account, new OAuthCredentials(connection, status.accountId()),
                    "oauth:" + status.accountId());
        }
    }

    /** Binds an encrypted key to its account: a key copied to another account's row does not decrypt. */
    private static String context(Account account) {
        return "api-key:" + account.id();
    }

    private static void requireId(Account account, String setting) {
        if (account.id() == null || !ID.matcher(account.id()).matches()) {
            throw new IllegalArgumentException(setting + ": an account id is 1 to 63 lower-case letters, digits, '-'"
                    + " or '_', starting with a letter or digit");
        }
    }
}
