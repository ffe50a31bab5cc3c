package io.doorsync.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.doorsync.simulator.Exchange;
import io.doorsync.simulator.Http.Request;
import io.doorsync.simulator.Http.Response;

/** The contract check itself can fail: exchanges that break openapi.yaml are reported, good ones are not. */
class DoorFlowContractTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> AUTH = Map.of("authorization", "Basic dGVzdC1rZXk6");

    @Test
    void aConformingCredentialExchangePasses() throws Exception {
        Exchange ok = new Exchange(
                new Request("POST", "/api/3/people/5/credentials", Map.of(), withJson(),
                        "{\"person_credential\":{\"credential_type_id\":1,\"value\":\"40010001\"}}"),
                new Response(201, Map.of(), JSON.readTree(
                        "{\"id\":\"cr1\",\"credential_type_id\":1,\"label\":\"Key card\",\"person_id\":5}")));
        assertThat(DoorFlowContract.problems(ok)).isEmpty();
    }

    @Test
    void aRequestOrResponseThatBreaksTheContractIsReported() throws Exception {
        Exchange missingType = new Exchange(
                new Request("POST", "/api/3/people/5/credentials", Map.of(), withJson(),
                        "{\"person_credential\":{\"value\":\"40010001\"}}"),
                new Response(201, Map.of(), JSON.readTree(
                        "{\"id\":\"cr1\",\"credential_type_id\":1,\"label\":\"Key card\",\"person_id\":5}")));
        Exchange responseWithoutPerson = new Exchange(
                new Request("GET", "/api/3/credentials", Map.of(), AUTH, null),
                new Response(200, Map.of(), JSON.readTree("[{\"id\":\"cr1\",\"credential_type_id\":1}]")));
        Exchange undeclaredStatus = new Exchange(
                new Request("DELETE", "/api/3/people/5/credentials/cr1", Map.of("x", List.of("1")), AUTH, null),
                new Response(204, Map.of(), null));

        assertThat(DoorFlowContract.problems(missingType)).contains("credential_type_id");
        assertThat(DoorFlowContract.problems(responseWithoutPerson)).contains("person_id");
        assertThat(DoorFlowContract.problems(undeclaredStatus)).contains("204");
    }

    @Test
    void aDateTimeWithoutSecondsBreaksTheContract() throws Exception {
        String group = "{\"id\":101,\"name\":\"Hot desk\",\"notes\":null,\"global_across_sites\":false,"
                + "\"created_at\":\"%s\",\"updated_at\":\"2026-01-01T00:00:00Z\"}";
        Exchange withSeconds = new Exchange(new Request("GET", "/api/3/groups", Map.of(), AUTH, null),
                new Response(200, Map.of(), JSON.readTree("[" + group.formatted("2026-01-01T00:00:00Z") + "]")));
        Exchange withoutSeconds = new Exchange(new Request("GET", "/api/3/groups", Map.of(), AUTH, null),
                new Response(200, Map.of(), JSON.readTree("[" + group.formatted("2026-01-01T00:00Z") + "]")));

        assertThat(DoorFlowContract.problems(withSeconds)).isEmpty();
        assertThat(DoorFlowContract.problems(withoutSeconds)).as("RFC 3339 requires the seconds")
                .contains("2026-01-01T00:00Z");
    }

    private static Map<String, String> withJson() {
        return Map.of("authorization", AUTH.get("authorization"), "content-type", "application/json");
    }
}
