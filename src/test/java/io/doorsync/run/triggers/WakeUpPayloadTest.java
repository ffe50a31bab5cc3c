package io.doorsync.run.triggers;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

/** What a burst of NOTIFY payloads asks for: the members they name, or everyone when any of them names none. */
class WakeUpPayloadTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void membersNamedAcrossABurstAddUp() {
        CrmWakeUps.Touched touched = new CrmWakeUps.Touched(json);
        touched.add("{\"table\" : \"members\", \"members\" : [\"M1\",\"M2\"]}");
        touched.add("{\"table\" : \"team_members\", \"members\" : [\"M2\",\"M3\"]}");
        assertThat(touched.members).containsExactlyInAnyOrder("M1", "M2", "M3");
    }

    @Test
    void aPayloadNamesTheCrmSchemaOfItsAccountOrNoneFromAnEarlierTrigger() {
        assertThat(CrmWakeUps.Touched.schemaOf(json, "{\"schema\": \"crm_london\", \"table\": \"members\","
                + " \"members\": [\"M1\"]}")).isEqualTo("crm_london");
        assertThat(CrmWakeUps.Touched.schemaOf(json, "{\"schema\": \"crm\", \"table\": \"teams\"}"))
                .isEqualTo("crm");
        for (String earlier : new String[] { "teams", "{\"table\": \"members\", \"members\": [\"M1\"]}",
                "{not json", "", null, "{\"schema\": 7}" }) {
            assertThat(CrmWakeUps.Touched.schemaOf(json, earlier)).as(earlier).isNull();
        }
        // Naming the schema and table alone still means everyone.
        CrmWakeUps.Touched touched = new CrmWakeUps.Touched(json);
        touched.add("{\"schema\": \"crm\", \"table\": \"teams\"}");
        assertThat(touched.members).isNull();
    }

    @Test
    void aPayloadNamingATableOnlyOrUnreadableMeansEveryone() {
        for (String payload : new String[] { "teams", "members", "{\"table\": \"members\"}", "{not json", "",
                null }) {
            CrmWakeUps.Touched touched = new CrmWakeUps.Touched(json);
            touched.add("{\"table\" : \"members\", \"members\" : [\"M1\"]}");
            touched.add(payload);
            touched.add("{\"table\" : \"members\", \"members\" : [\"M2\"]}");
            assertThat(touched.members).as("after %s", payload).isNull();
        }
    }
}
