package io.doorsync.simulator;

import static io.doorsync.simulator.Account.textOrNull;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.doorsync.simulator.Account.CredentialTypeDef;
import io.doorsync.simulator.DoorFlowSimulator.CredentialKind;
import io.doorsync.simulator.Http.Request;
import io.doorsync.simulator.Http.Response;

/**
 * Credentials and DoorFlow's rules for them: one per type per person (409), values unique within the account
 * and PINs of 4 to 7 digits (422), generated PINs, the mobile licence limit, and phones revoked asynchronously
 * (202, then "revoking" until DoorFlow finishes).
 */
final class CredentialEndpoints {

    private static final Pattern PIN_VALUE = Pattern.compile("^\\d{4,7}$");
    static final int MAX_PER_PAGE = 500;

    private final Account account;
    private final Random pinGenerator = new Random();

    CredentialEndpoints(Account account) {
        this.account = account;
    }

    /** Issues a credential as if by hand at the front desk; returns its id. No rules are checked. */
    String add(long personId, long typeId, String value) {
        CredentialTypeDef type = account.credentialTypes.get(typeId);
        ObjectNode c = newCredential(personId, type, type.kind() == CredentialKind.MOBILE ? null : value);
        if (type.kind() == CredentialKind.MOBILE) {
            c.put("status", "active");
        }
        return c.get("id").asText();
    }

    /** DoorFlow finishes revoking mobile credentials some time after the 202; this is that moment. */
    void completeMobileRevocations() {
        account.credentials.values().stream().filter(c -> "revoking".equals(textOrNull(c, "status")))
                .forEach(c -> c.put("status", "revoked"));
        account.revokingSince.clear();
    }

    /** Finishes the revocations of phones deleted at least {@code after} ago. */
    void completeDueRevocations(Duration after) {
        Instant due = account.clock.instant().minus(after);
        for (var it = account.revokingSince.entrySet().iterator(); it.hasNext();) {
            var revoking = it.next();
            if (!revoking.getValue().isAfter(due)) {
                ObjectNode c = account.credentials.get(revoking.getKey());
                if (c != null && "revoking".equals(textOrNull(c, "status"))) {
                    c.put("status", "revoked");
                }
                it.remove();
            }
        }
    }

    Response listTypes(Request r) {
        return account.page(r, List.copyOf(account.credentialTypes.values()), this::typeView, MAX_PER_PAGE,
                MAX_PER_PAGE);
    }

    Response listAll(Request r) {
        return account.page(r, List.copyOf(account.credentials.values()), ObjectNode::deepCopy,
                MAX_PER_PAGE, MAX_PER_PAGE);
    }

    Response listOf(long personId, Request r) {
        return account.page(r, account.credentialsOf(personId), ObjectNode::deepCopy, MAX_PER_PAGE, MAX_PER_PAGE);
    }

    Response get(long personId, String id) {
        ObjectNode c = credentialOf(personId, id);
        return c == null ? Http.notFound() : Http.ok(200, c.deepCopy());
    }

    Response create(long personId, Request r) {
        if (account.livePerson(personId) == null) {
            return new Response(422, java.util.Map.of(), account.json.createObjectNode().put("error", "Person not found"));
        }
        ObjectNode input = account.parseObject(r.body());
        JsonNode fields = input == null ? null : input.get("person_credential");
        if (fields == null || !fields.isObject() || !fields.path("credential_type_id").canConvertToLong()) {
            return Http.credentialInvalid("credential_type_id", "can't be blank");
        }
        CredentialTypeDef type = account.credentialTypes.get(fields.get("credential_type_id").asLong());
        if (type == null) {
            return Http.credentialInvalid("credential_type_id", "Not found for this account");
        }
        ObjectNode existing = account.credentialsOf(personId).stream()
                .filter(c -> c.get("credential_type_id").asLong() == type.id() && !revoked(c))
                .findFirst().orElse(null);
        if (existing != null) {
            return Http.ok(409, existing.deepCopy()); // one credential per type per person
        }
        String value = textOrNull(fields, "value");
        if (type.kind() == CredentialKind.MOBILE) {
            long inUse = account.credentials.values().stream().filter(c -> c.has("status") && !revoked(c)).count();
            if (inUse >= account.mobileLicences) {
                return new Response(422, java.util.Map.of(), account.json.createObjectNode()
                        .put("error", "Validation failed").set("errors", account.json.createObjectNode()
                                .put("limit_reached", "You have reached your HID Mobile licence limit. Please contact"
                                        + " DoorFlow Support.")));
            }
            ObjectNode c = newCredential(personId, type, null);
            c.put("status", "invited");
            return Http.ok(201, c.deepCopy());
        }
        if (type.kind() == CredentialKind.PIN && "******".equals(value)) {
            value = generatePin();
        }
        Response invalid = checkValue(type, value, null);
        if (invalid != null) {
            return invalid;
        }
        return Http.ok(201, newCredential(personId, type, value).deepCopy());
    }

    Response update(long personId, String id, Request r) {
        ObjectNode c = credentialOf(personId, id);
        if (c == null) {
            return Http.notFound();
        }
        ObjectNode input = account.parseObject(r.body());
        JsonNode fields = input == null ? null : input.get("person_credential");
        String value = fields == null ? null : textOrNull(fields, "value");
        CredentialTypeDef type = account.credentialTypes.get(c.get("credential_type_id").asLong());
        if (type.kind() == CredentialKind.MOBILE) {
            return Http.credentialInvalid("value", "cannot be set on a mobile credential");
        }
        if (type.kind() == CredentialKind.PIN && "******".equals(value)) {
            value = generatePin();
        }
        Response invalid = checkValue(type, value, id);
        if (invalid != null) {
            return invalid;
        }
        account.credentialIndex.removed(c, type.kind());
        c.put("value", value);
        account.credentialIndex.filed(c, type.kind());
        return Http.ok(201, c.deepCopy());
    }

    Response delete(long personId, String id) {
        ObjectNode c = credentialOf(personId, id);
        if (c == null) {
            return Http.notFound();
        }
        if (c.has("status")) {
            if (!revoked(c)) {
                c.put("status", "revoking"); // DoorFlow revokes phone credentials asynchronously
                account.revokingSince.put(id, account.clock.instant());
            }
            return Http.text(202, "Credential deletion accepted");
        }
        account.removeCredential(c);
        return Http.text(200, "Credential deleted");
    }

    /** Cards and PINs: present, PINs 4-7 digits, and unique within the account for their kind. */
    private Response checkValue(CredentialTypeDef type, String value, String selfId) {
        if (value == null || value.isBlank()) {
            return Http.credentialInvalid("value", "can't be blank");
        }
        if (type.kind() == CredentialKind.PIN && !PIN_VALUE.matcher(value).matches()) {
            return Http.credentialInvalid("value", "must be between 4 and 7 digits in length");
        }
        return account.credentialIndex.valueTaken(type.kind(), value, selfId) ? Http.credentialInvalid("value", "value is already in use on your account") : null;
    }

    private String generatePin() {
        String pin;
        do {
            pin = String.format("%06d", pinGenerator.nextInt(1_000_000));
        } while (account.credentialIndex.valueTaken(CredentialKind.PIN, pin, null));
        return pin;
    }

    private ObjectNode newCredential(long personId, CredentialTypeDef type, String value) {
        ObjectNode c = account.json.createObjectNode();
        String id = "cr" + Long.toString(36L * 36 * 36 + account.nextCredentialNumber++, 36);
        c.put("id", id).put("credential_type_id", type.id()).put("label", type.label()).put("person_id", personId);
        if (value != null) {
            c.put("value", value);
        }
        account.credentials.put(id, c);
        account.credentialIndex.filed(c, type.kind());
        return c;
    }

    private ObjectNode credentialOf(long personId, String id) {
        ObjectNode c = account.credentials.get(id);
        return c == null || c.get("person_id").asLong() != personId ? null : c;
    }

    private static boolean revoked(ObjectNode c) {
        String status = textOrNull(c, "status");
        return "revoking".equals(status) || "revoked".equals(status);
    }

    private JsonNode typeView(CredentialTypeDef t) {
        ObjectNode view = account.json.createObjectNode().put("id", t.id()).put("label", t.label())
                .put("slug", t.slug());
        if (t.code() == null) {
            view.putNull("code");
        } else {
            view.put("code", t.code());
        }
        return view;
    }
}
