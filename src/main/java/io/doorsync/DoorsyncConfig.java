package io.doorsync;

import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.doorsync.plan.LeavePolicy;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Every doorsync setting; each key can be overridden by its environment variable (DOORSYNC_SYNC_INTERVAL, ...). */
@ConfigMapping(prefix = "doorsync")
public interface DoorsyncConfig {

    Sync sync();

    Crm crm();

    Doorflow doorflow();

    Credentials credentials();

    Oauth oauth();

    Admin admin();

    Checkins checkins();

    Photos photos();

    Metrics metrics();

    interface Metrics {
        /** The metrics carry an account label (25 to 90 series an account); off for thousands of accounts. */
        @WithDefault("true")
        boolean accountLabel();
    }

    /**
     * Attribute mappings: DoorFlow person field → column of the CRM's members relation (or view), such as
     * {@code doorsync.mapping.custom_1=company}. Mappable: notes, salutation, mobile, custom_1 … custom_5. A mapped
     * field is descriptive: sent, compared and repaired like department; removing a mapping leaves DoorFlow's value.
     */
    Map<String, String> mapping();

    /**
     * DoorFlow accounts declared in settings (GitOps), by doorsync account id, besides the installation's own
     * ({@code default}, on doorsync.crm.schema and the connection made on /admin or doorsync.doorflow.api-key).
     * Accounts can also be added at run time through the admin API; docs/operating.md, "Many accounts".
     */
    Map<String, DeclaredAccount> accounts();

    /** One declared account: where its members are in the CRM, and how doorsync reaches its DoorFlow account. */
    interface DeclaredAccount {
        /** The CRM schema holding this account's members, teams and credentials (the contract's relations). */
        String crmSchema();

        /** The account's DoorFlow personal API key (a secret: from a Kubernetes Secret, never a config map). */
        String doorflowApiKey();

        /** A paused account is not synced; its DoorFlow is left exactly as it is. */
        @WithDefault("false")
        boolean paused();
    }

    /** Members' photos from the CRM's optional member_photos relation, set as the DoorFlow person's image. */
    interface Photos {
        /** Sync photos when the CRM has a member_photos relation (false: photos are neither read nor touched). */
        @WithDefault("true")
        boolean enabled();

        /** A photo larger than this is not uploaded; it is reported for its member. */
        @WithDefault("2097152")
        int maxBytes();

        /** How long fetching a photo from its URL may take, all of it: connecting, redirects and the body. */
        @WithDefault("10s")
        Duration fetchTimeout();

        /**
         * Photo URL hosts that may resolve to internal addresses (an intranet photo server). Any other host whose
         * address is loopback, private, link-local (cloud metadata), unique-local or shared is refused.
         */
        Optional<List<String>> allowedInternalHosts();
    }

    /** Reading DoorFlow's access events (admits and rejects) into doorsync.check_in, for the CRM to read. */
    interface Checkins {
        /** Off by default: it needs the account.event.access.readonly scope (asked for when this is on). */
        @WithDefault("false")
        boolean enabled();

        /** How often new events are read (incrementally, from the last one read). */
        @WithDefault("30s")
        Duration interval();

        /** On the first read, how far back to start (DoorFlow keeps 90 days). */
        @WithDefault("1d")
        Duration firstLookBack();

        /** Check-ins older than this are deleted. */
        @WithDefault("90d")
        Duration retention();
    }

    interface Admin {
        /**
         * Password of the "admin" user of /admin (HTTP Basic). Unset: the admin surface is closed (every request
         * refused) and the start-up log says how to open it.
         */
        Optional<String> password();

        /** Failed logins from one address after which that address is refused for {@link #loginLockout()}. */
        @WithDefault("5")
        int loginMaxFailures();

        /** How long an address that failed too often is refused, even with the right password. */
        @WithDefault("5m")
        Duration loginLockout();
    }

    /** Connecting doorsync to a DoorFlow account through OAuth (the /admin page). */
    interface Oauth {
        /** The OAuth application's client id (DoorFlow developer portal). */
        Optional<String> clientId();

        /** The OAuth application's client secret; never sent to a browser or logged. */
        Optional<String> clientSecret();

        /** Exactly the redirect URI registered with the application: this doorsync's /admin/oauth/callback. */
        Optional<String> redirectUri();

        /**
         * Scopes asked for. Default: what a sync needs (people and credentials, groups, credential types, push to
         * doors), and the access events when check-ins are on ({@code DoorFlowOAuth.DEFAULT_SCOPES}).
         */
        Optional<String> scopes();

        /**
         * DoorFlow's authorization page. Default: {@code https://admin.doorflow.com/oauth/authorize} when the base
         * URL is real DoorFlow's API ({@code https://api.doorflow.com}), else the base URL + /oauth/authorize (the
         * simulator serves both on one address).
         */
        Optional<String> authorizeUrl();

        /** Refresh an access token this long before it expires. */
        @WithDefault("5m")
        Duration refreshBefore();

        /** How long an authorization started with Connect may take to come back. */
        @WithDefault("10m")
        Duration stateLifetime();

        /** Base64 of a 256-bit key that encrypts tokens at rest (openssl rand -base64 32). */
        Optional<String> tokenEncryptionKey();
    }

    interface Credentials {
        /** Sync door credentials from the CRM's member_credentials relation. */
        @WithDefault("true")
        boolean enabled();

        /**
         * DoorFlow credential type slugs doorsync owns: for the people it manages, credentials of these types
         * match the CRM exactly. Credentials of any other type (issued by hand at the front desk) are never
         * touched, and CRM rows of other types are reported and ignored.
         */
        @WithDefault("card,pin,mobile")
        Set<String> managedTypes();

        /** Types whose CRM value may be null, meaning "let DoorFlow generate the PIN" (sent as "******"). */
        @WithDefault("pin")
        Set<String> generatedPinTypes();
    }

    interface Sync {
        /** Time between sync runs; the scheduler reads the same key. */
        @WithDefault("30s")
        Duration interval();

        /** Delay before the first run after start-up. */
        @WithDefault("2s")
        Duration initialDelay();

        /**
         * How often a replica standing by asks for the writer lease: within this much of the writer's death,
         * another replica takes over (the scheduler reads the same key).
         */
        @WithDefault("5s")
        Duration standbyPoll();

        /**
         * A run that has made no progress (no phase finished, no change carried out) for this long makes liveness
         * fail: a restart is the cure for a wedged run. A run that keeps moving is alive however long it takes.
         */
        @WithDefault("5m")
        Duration stuckAfter();

        /**
         * On SIGTERM, how long the run in progress gets to finish the requests in flight and record itself as
         * interrupted; keep it below the pod's terminationGracePeriodSeconds.
         */
        @WithDefault("20s")
        Duration stopTimeout();

        /** /q/health/group/sync turns DOWN when no run has succeeded for this long. */
        @WithDefault("10m")
        Duration maxSuccessAge();

        /** Run history (runs and their journal) older than this is deleted after each run. */
        @WithDefault("30d")
        Duration historyRetention();

        /**
         * A descriptive field (email, names, telephone, department, job title) that DoorFlow is found back at
         * the same value after this many repairs in a row is reported and no longer written until the CRM or
         * DoorFlow changes it. Fields that grant access are always repaired.
         */
        @WithDefault("3")
        int driftRepairLimit();

        /** DoorFlow people doorsync manages carry system_id "<prefix>:<member id>". */
        @WithDefault("crm")
        String systemIdPrefix();

        /** What happens in DoorFlow to a member who leaves (status not active, or row gone). */
        @WithDefault("disable")
        LeavePolicy leavePolicy();

        /**
         * Between full reconciles a run lists only the people DoorFlow changed since the last listing. A full
         * reconcile (also at start) lists everything: it is when a person deleted by hand in DoorFlow, or a
         * credential changed by hand on an otherwise unchanged person, is seen and put back.
         */
        @WithDefault("1h")
        Duration fullReconcileInterval();

        /**
         * DoorFlow write calls in flight at once during a run (fewer for a while after a 429). 8 halves a first
         * sync against 4 at the same cost per write; see docs/operating.md, Performance.
         */
        @WithDefault("8")
        int concurrency();

        /** How the accounts besides the installation's own are spread over replicas (docs/operating.md). */
        Owners owners();

        /**
         * The accounts besides the installation's own are held by one replica at a time, chosen by db-scheduler on
         * doorsync's database: the holder runs the account every interval, and keeps its mirror warm.
         */
        interface Owners {
            /** The most accounts one replica holds at once (each holds a thread, mostly asleep). */
            @WithDefault("100")
            int perReplica();

            /**
             * The runs of held accounts one replica carries out at once; the others wait their turn. Each run borrows
             * database connections while it goes (the pool is quarkus.datasource.jdbc.max-size, 20 by default).
             */
            @WithDefault("4")
            int runsAtOnce();

            /**
             * How long a replica holds an account before offering it back: a replica over its share lets another
             * take it (how a replica that joins gets its share); one within its share takes it again at once.
             */
            @WithDefault("5m")
            Duration hold();

            /**
             * How often a holder says it is alive. A replica silent for four of these has its accounts taken over by
             * the others (within about four of these and a poll).
             */
            @WithDefault("3s")
            Duration heartbeat();

            /** How often a replica looks for accounts nobody holds. */
            @WithDefault("2s")
            Duration poll();
        }

        /** Push changes to door controllers (POST /api/3/sync) after a run that changed something. */
        @WithDefault("true")
        boolean pushToDoors();

        /** The accidental-deletion guard. */
        Guard revocationGuard();

        interface Guard {
            @WithDefault("true")
            boolean enabled();

            /** A run may take access away from at most this share of the managed people ... */
            @WithDefault("0.2")
            double maxShare();

            /** ... or this many, whichever is larger (so small sites are not held for two leavers). */
            @WithDefault("10")
            int minCount();
        }
    }

    interface Crm {
        /** PostgreSQL schema holding the CRM contract relations (members, teams, team_members, member_credentials). */
        @WithDefault("crm")
        String schema();

        /**
         * The time zone of CRM validity columns declared as date or timestamp without time zone (a timestamptz
         * carries its own). A date in valid_to means access through the end of that day in this zone.
         */
        @WithDefault("UTC")
        ZoneId timeZone();

        /**
         * LISTEN for the optional NOTIFY triggers (crm/wake-ups/notify-trigger.sql) and start a run within a second
         * of a committed CRM change. Harmless without the triggers: nothing arrives, the interval does the work.
         */
        @WithDefault("true")
        boolean wakeUps();

        /** A burst of CRM commits is one run: the run starts once the CRM has been quiet this long (at most 1 s). */
        @WithDefault("200ms")
        Duration wakeUpDebounce();

        /**
         * How often the listening session makes a round trip, which must answer within the same time: a session
         * a database failover left half-open is noticed within two of these, and replaced.
         */
        @WithDefault("30s")
        Duration wakeUpKeepalive();
    }

    interface Doorflow {
        /**
         * Base URL of the DoorFlow API (and its token endpoint): real DoorFlow, the simulator, or a proxy. Its
         * default is in application.properties, where the REST clients' URLs refer to it.
         */
        String baseUrl();

        /**
         * How doorsync authenticates: {@code auto} (the OAuth connection made on /admin when there is one, else
         * the API key, else the static token), {@code oauth}, {@code api-key} or {@code access-token}.
         */
        @WithDefault("auto")
        AuthMode auth();

        /** A DoorFlow personal API key (sent as HTTP Basic user name). */
        Optional<String> apiKey();

        /** A static OAuth access token (sent as Bearer); used when no API key is set. */
        Optional<String> accessToken();

        enum AuthMode {
            AUTO,
            OAUTH,
            API_KEY,
            ACCESS_TOKEN
        }

        /**
         * An incremental listing asks for the people changed since the previous listing began (DoorFlow's Date
         * header), minus this much: a change whose updated_at is earlier than its commit (a slow transaction at
         * DoorFlow) must not fall between two listings. Longer re-lists more after each write run; shorter risks
         * missing a change until the next full reconcile.
         */
        @WithDefault("10s")
        Duration sinceOverlap();

        /** People fetched per list call; DoorFlow allows at most 100. */
        @WithDefault("100")
        int pageSize();

        /** How doorsync rides out DoorFlow's failures (docs/operating.md, Reliability). */
        Retry retry();

        interface Retry {
            /** A failed read (5xx, no connection, 429) is tried this many more times. */
            @WithDefault("5")
            int reads();

            /** A write answered 429 (not applied) is sent again this many times, after DoorFlow's wait. */
            @WithDefault("3")
            int rateLimitedWrites();

            /** The first backoff; each further one doubles, up to 5 s (a 429's own wait is honoured instead). */
            @WithDefault("250ms")
            Duration delay();

            /** The longest one request may spend being retried, waits DoorFlow asks for included. */
            @WithDefault("60s")
            Duration budget();
        }
    }
}
