package io.doorsync.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.eclipse.microprofile.config.spi.ConfigSource;
import org.junit.jupiter.api.Test;

import io.doorsync.DoorsyncConfig;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * doorsync.accounts.* as operators set them: the schema in a properties file (a config map) and the API key as an
 * environment variable (a Kubernetes Secret), or both in the environment.
 */
class DeclaredAccountsConfigTest {

    @Test
    void anAccountDeclaredInPropertiesAndTheEnvironmentIsOneAccount() {
        Map<String, DoorsyncConfig.DeclaredAccount> accounts = accounts(
                new PropertiesConfigSource(Map.of("doorsync.accounts.london.crm-schema", "crm_london"), "file", 250),
                new EnvConfigSource(Map.of("DOORSYNC_ACCOUNTS_LONDON_DOORFLOW_API_KEY", "key-1"), 300));
        assertThat(accounts).containsOnlyKeys("london");
        assertThat(accounts.get("london").crmSchema()).isEqualTo("crm_london");
        assertThat(accounts.get("london").doorflowApiKey()).isEqualTo("key-1");
        assertThat(accounts.get("london").paused()).isFalse();
    }

    @Test
    void anAccountDeclaredInTheEnvironmentAloneIsFound() {
        Map<String, DoorsyncConfig.DeclaredAccount> accounts = accounts(new EnvConfigSource(Map.of(
                "DOORSYNC_ACCOUNTS_PARIS_CRM_SCHEMA", "crm_paris", "DOORSYNC_ACCOUNTS_PARIS_DOORFLOW_API_KEY", "key-2",
                "DOORSYNC_ACCOUNTS_PARIS_PAUSED", "true"), 300));
        assertThat(accounts).containsOnlyKeys("paris");
        assertThat(accounts.get("paris").crmSchema()).isEqualTo("crm_paris");
        assertThat(accounts.get("paris").paused()).isTrue();
    }

    private static Map<String, DoorsyncConfig.DeclaredAccount> accounts(ConfigSource... sources) {
        SmallRyeConfigBuilder builder = new SmallRyeConfigBuilder().withSources(sources)
                .withSources(new PropertiesConfigSource(Map.of("doorsync.doorflow.base-url", "http://127.0.0.1:1"),
                        "required", 50))
                .withConverter(java.time.Duration.class, 100, new DurationConverter()).withMapping(DoorsyncConfig.class);
        SmallRyeConfig config = builder.build();
        return config.getConfigMapping(DoorsyncConfig.class).accounts();
    }
}
