package io.doorsync.run;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * {@code -Ddoorsync.scenarios=N -Ddoorsync.seed=S} for {@link ConvergenceScenariosTest}. Mapped (in the tests
 * only) because doorsync's configuration refuses keys under doorsync.* that nothing maps.
 */
@ConfigMapping(prefix = "doorsync")
public interface ScenarioSettings {

    /** Generated scenarios per run of the test; CI runs the default. */
    @WithDefault("200")
    int scenarios();

    /** The first scenario's seed; scenario i has seed + i. */
    @WithDefault("20261124")
    long seed();
}
