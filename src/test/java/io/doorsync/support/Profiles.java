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
}
