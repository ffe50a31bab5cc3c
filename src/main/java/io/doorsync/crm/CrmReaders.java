package io.doorsync.crm;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import io.doorsync.Account;
import io.doorsync.DoorsyncConfig;
import io.doorsync.plan.PersonFields;

/**
 * The CRM reader of each doorsync account: the default account's reads doorsync.crm.schema; another account's
 * reads the schema it was declared with (one schema per account is the contract: docs/sync-rules.md), set by the
 * account registry ({@code accounts/AccountRegistry}).
 */
@ApplicationScoped
public class CrmReaders {

    private final CrmReader defaultAccount;
    private final DataSource dataSource;
    private final DoorsyncConfig config;
    private final PersonFields fields;
    private final Map<Account, CrmReader> others = new ConcurrentHashMap<>();

    CrmReaders(CrmReader defaultAccount, DataSource dataSource, DoorsyncConfig config, PersonFields fields) {
        this.defaultAccount = defaultAccount;
        this.dataSource = dataSource;
        this.config = config;
        this.fields = fields;
    }

    /** The account's reader; an account with no CRM schema (not declared, or removed) is refused by name. */
    public CrmReader of(Account account) {
        if (Account.DEFAULT.equals(account)) {
            return defaultAccount;
        }
        CrmReader reader = others.get(account);
        if (reader == null) {
            throw new CrmUnavailableException("doorsync account '" + account + "' has no CRM schema: it is not"
                    + " declared (doorsync.accounts." + account + ".crm-schema, or the admin API), or it was removed",
                    null);
        }
        return reader;
    }

    /** Reads {@code account}'s members from {@code schema} (a plain identifier, or this refuses it by name). */
    public void use(Account account, String schema) {
        if (schema == null || schema.isBlank()) {
            throw new IllegalArgumentException("account '" + account + "' needs the CRM schema of its members");
        }
        try {
            others.compute(account, (a, before) -> before != null && before.schemaName().equals(schema) ? before
                    : new CrmReader(account, dataSource, schema, config.credentials().enabled(),
                            config.photos().enabled(), config.crm().timeZone(), fields));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("account '" + account + "': CRM schema '" + schema + "' is not a plain"
                    + " PostgreSQL identifier (letters, digits, underscore)", e);
        }
    }

    /** Forgets a removed account's reader. */
    public void forget(Account account) {
        others.remove(account);
    }
}
