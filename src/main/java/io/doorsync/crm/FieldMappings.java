package io.doorsync.crm;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.doorsync.DoorsyncConfig;
import io.doorsync.plan.PersonFields;
import io.quarkus.runtime.Startup;

/** The person field table of this installation: the built-in fields and doorsync.mapping.*, checked at start-up. */
@ApplicationScoped
public class FieldMappings {

    @Produces
    @Singleton
    @Startup // a mapping the table refuses stops doorsync at start, naming the setting
    PersonFields personFields(DoorsyncConfig config) {
        return PersonFields.withMappings(config.mapping());
    }
}
