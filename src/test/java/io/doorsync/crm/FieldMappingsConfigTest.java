package io.doorsync.crm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.doorsync.DoorsyncConfig;
import io.doorsync.plan.PersonField;
import io.doorsync.plan.PersonFields;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/** doorsync.mapping.* as operators set it: in a properties file, and as environment variables (a Kubernetes env). */
class FieldMappingsConfigTest {

    @Test
    void aMappingSetInPropertiesOrInTheEnvironmentReachesTheTable() {
        assertThat(mapped(new PropertiesConfigSource(Map.of("doorsync.mapping.custom_1", "company"), "test", 100)))
                .containsEntry("custom_1", "company");
        assertThat(mapped(new EnvConfigSource(Map.of("DOORSYNC_MAPPING_CUSTOM_1", "company", "DOORSYNC_MAPPING_NOTES",
                "remarks"), 300))).containsEntry("custom_1", "company").containsEntry("notes", "remarks");
    }

    private static Map<String, String> mapped(org.eclipse.microprofile.config.spi.ConfigSource source) {
        SmallRyeConfig config = new SmallRyeConfigBuilder().withSources(source, new PropertiesConfigSource(Map.of(
                "doorsync.doorflow.base-url", "http://127.0.0.1:1"), "required", 50))
                .withConverter(java.time.Duration.class, 100, new DurationConverter())
                .withMapping(DoorsyncConfig.class).build();
        PersonFields fields = PersonFields.withMappings(config.getConfigMapping(DoorsyncConfig.class).mapping());
        return fields.all().stream().filter(PersonField::mapped)
                .collect(java.util.stream.Collectors.toMap(PersonField::doorflowField, PersonField::crmColumn));
    }
}
