package io.doorsync.doorflow;

import java.time.OffsetDateTime;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** DoorFlow's JSON shapes, as named in openapi.yaml (snake_case on the wire). */
public final class DoorFlowDtos {

    private DoorFlowDtos() {
    }

    /** components.schemas.Account (GET /api/3/account): only what doorsync uses; the rest is ignored. */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Account(String id, String name) {
    }

    /** components.schemas.Person: only the fields doorsync reads; the rest is ignored. */
    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Person(
            long id,
            String firstName,
            String lastName,
            String email,
            String systemId,
            String telephone,
            String department,
            String jobTitle,
            Boolean enabled,
            OffsetDateTime validFrom,
            OffsetDateTime validTo,
            List<Long> groups,
            OffsetDateTime updatedAt,
            String salutation,
            String mobile,
            String notes,
            @JsonProperty("custom_1") String custom1,
            @JsonProperty("custom_2") String custom2,
            @JsonProperty("custom_3") String custom3,
            @JsonProperty("custom_4") String custom4,
            @JsonProperty("custom_5") String custom5) {

        /** A text field by its DoorFlow name (a row of doorsync's person field table); null for any other name. */
        public String text(String field) {
            return switch (field) {
                case "email" -> email;
                case "first_name" -> firstName;
                case "last_name" -> lastName;
                case "telephone" -> telephone;
                case "department" -> department;
                case "job_title" -> jobTitle;
                case "salutation" -> salutation;
                case "mobile" -> mobile;
                case "notes" -> notes;
                case "custom_1" -> custom1;
                case "custom_2" -> custom2;
                case "custom_3" -> custom3;
                case "custom_4" -> custom4;
                case "custom_5" -> custom5;
                default -> null;
            };
        }
    }

    /** The two fields a disable sends; everything else on the person stays as it is. */
    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record DisableInput(boolean enabled, List<Long> groupIds) {
    }

    /** components.schemas.Group. */
    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Group(long id, String name) {
    }

    /** components.schemas.CredentialType. */
    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record CredentialType(long id, String label, String slug, Integer code) {
    }

    /** components.schemas.Credential; {@code value} is a secret and never printed. */
    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Credential(String id, long credentialTypeId, String label, long personId, String value,
            String status) {
        @Override
        public String toString() {
            return "Credential[" + id + ", type " + credentialTypeId + ", person " + personId + "]";
        }
    }

    /** components.schemas.CredentialInput: {"person_credential": {...}}. */
    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record CredentialInput(NewCredential personCredential) {
    }

    /** A null value is left out: a mobile credential is created without one (DoorFlow sends the invitation). */
    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record NewCredential(long credentialTypeId, String value) {
        @Override
        public String toString() {
            return "NewCredential[type " + credentialTypeId + "]";
        }
    }

    /** components.schemas.CredentialUpdateInput: {"person_credential": {"value": ...}}. */
    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record CredentialUpdateInput(CredentialValue personCredential) {
    }

    @RegisterForReflection
    public record CredentialValue(String value) {
        @Override
        public String toString() {
            return "CredentialValue[hidden]";
        }
    }

    /** Error bodies: Error, UnprocessableEntityError (errors) and RateLimitedError (description, retry_in). */
    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ErrorBody(String error, String errorDescription, String description, Integer retryIn,
            JsonNode errors) {
    }

    /**
     * components.schemas.Event (GET /api/3/events): who, where, admitted or not, when. Its credentials_number
     * (the card number or PIN used) is a credential value and deliberately not read.
     */
    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Event(long id, int eventCode, Long doorControllerId, String doorControllerName, Long personId,
            OffsetDateTime createdAt) {
    }

    /** PersonInput with only the photo, as base64 (DoorFlow's PUT changes only the fields it is given). */
    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ImageInput(String imageBase64) {
        @Override
        public String toString() {
            return "ImageInput[" + (imageBase64 == null ? 0 : imageBase64.length()) + " base64 characters]";
        }
    }

    /** PersonInput with image_remote_url "", which openapi.yaml documents as deleting the image. */
    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ImageRemoval(String imageRemoteUrl) {
    }
}
