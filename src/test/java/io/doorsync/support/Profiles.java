package io.doorsync.support;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** The named settings tests run doorsync under, besides the defaults of application.properties' test profile. */
public final class Profiles {

    private Profiles() {
    }

    /** doorsync.mapping.custom_1=company: the CRM's company column sent to DoorFlow's custom_1. */
    public static class CompanyInCustom1 implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("doorsync.mapping.custom_1", "company");
        }
    }

    /** doorsync.admin.password empty: no admin password configured, so the admin surface must be closed to all. */
    public static class NoAdminPassword implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("doorsync.admin.password", "");
        }
    }

    /** Lockout after 3 failed logins, for 2s, and deploy/k8s's proxy settings (trusting 10.9.9.9): one to wait out. */
    public static class ShortAdminLockoutBehindProxy implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("doorsync.admin.login-max-failures", "3", "doorsync.admin.login-lockout", "2s",
                    "quarkus.http.proxy.proxy-address-forwarding", "true", "quarkus.http.proxy.allow-x-forwarded",
                    "true", "quarkus.http.proxy.trusted-proxies", "10.9.9.9");
        }
    }

    /** Demo mode: the demo's seed in DoorFlow and its CRM in schema demo_crm, away from the other tests' crm. */
    public static class DemoMode implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("doorsync.demo.enabled", "true", "doorsync.simulator.seed", "simulator/demo-seed.json",
                    "doorsync.crm.schema", "demo_crm",
                    // No wake-up runs of their own in between the test's runs.
                    "doorsync.crm.wake-ups", "false");
        }
    }

    /** Scheduler on, a sync every 1s starting 1s in: scheduled runs happen within a test's wait. */
    public static class ScheduledEverySecond implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.scheduler.enabled", "true", "doorsync.sync.interval", "1s",
                    "doorsync.sync.initial-delay", "1s");
        }
    }

    /** doorsync.doorflow.api-key empty, and no token: runs have no credentials and must fail, naming the setting. */
    public static class NoDoorFlowApiKey implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("doorsync.doorflow.api-key", "");
        }
    }

    /** doorsync.doorflow.page-size=3: listings of several pages even with the few people of a small scenario. */
    public static class PageSize3 implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("doorsync.doorflow.page-size", "3");
        }
    }

    /** doorsync.sync.leave-policy=delete: leavers soft-deleted in DoorFlow, where the default only disables them. */
    public static class LeavePolicyDelete implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("doorsync.sync.leave-policy", "delete");
        }
    }

    /**
     * Two accounts declared in settings besides the installation's own: north (CRM schema crm_north, API key
     * north-key) and south (crm_south, south-key); a third, paused (crm_east, east-key).
     */
    public static class DeclaredAccounts implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("doorsync.accounts.north.crm-schema", "crm_north",
                    "doorsync.accounts.north.doorflow-api-key", "north-key",
                    "doorsync.accounts.south.crm-schema", "crm_south",
                    "doorsync.accounts.south.doorflow-api-key", "south-key",
                    "doorsync.accounts.east.crm-schema", "crm_east",
                    "doorsync.accounts.east.doorflow-api-key", "east-key",
                    "doorsync.accounts.east.paused", "true");
        }
    }

    /** doorsync.metrics.account-label=false: the run metrics of every account in one series each. */
    public static class NoAccountLabel implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("doorsync.metrics.account-label", "false");
        }
    }
}
