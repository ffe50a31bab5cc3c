package io.doorsync.plan;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Where a DoorFlow person differs from a spec, field by field in DoorFlow's normal forms (the text fields' forms
 * are in their {@link PersonFields} table; timestamps to the second, groups as a set), so that what DoorFlow
 * normalizes is never "repaired" again and again.
 */
final class PersonDiff {

    private PersonDiff() {
    }

    /**
     * The fields where DoorFlow's person differs from the spec, in a fixed order. Nearly every person matches,
     * so the groups are compared as they are, without a sorted copy per person (it showed at 100,000 members).
     */
    static List<String> changed(DoorFlowPerson p, PersonSpec s) {
        List<String> changed = new ArrayList<>();
        diff(changed, "system_id", p.systemId(), s.systemId());
        PersonTexts desired = s.texts();
        PersonFields fields = desired.fields();
        for (int i = 0; i < fields.size(); i++) {
            PersonField field = fields.get(i);
            diff(changed, field.doorflowField(), field.normal(p.texts().sameFieldAs(desired, i)),
                    field.normal(desired.get(i)));
        }
        diff(changed, "valid_from", second(p.validFrom()), second(s.validFrom()));
        diff(changed, "valid_to", second(p.validTo()), second(s.validTo()));
        diff(changed, "enabled", p.enabled(), s.enabled());
        diff(changed, "groups", p.groupIds(), s.groupIds()); // sets are equal by content, whatever their order
        return changed;
    }

    /** The spec with DoorFlow's own value kept in {@code fields} (the texts doorsync stopped writing). */
    static PersonSpec keepDoorFlow(PersonSpec s, DoorFlowPerson p, List<String> fields) {
        return new PersonSpec(s.systemId(), s.texts().keeping(p.texts(), fields), s.validFrom(), s.validTo(),
                s.enabled(), s.groupIds());
    }

    /** Whether doorsync may stop writing a field DoorFlow does not keep: a text, never what grants access. */
    static boolean descriptive(PersonSpec s, String field) {
        return s.texts().fields().isText(field);
    }

    /** A fingerprint of DoorFlow's value of a field (never the value: it may be personal data). */
    static String fingerprint(DoorFlowPerson p, String field, List<CredentialChange> credentialSteps) {
        int text = p.texts().fields().indexOf(field);
        Object value = text >= 0 ? p.texts().fields().get(text).normal(p.texts().get(text)) : switch (field) {
            case "system_id" -> p.systemId();
            case "valid_from" -> second(p.validFrom());
            case "valid_to" -> second(p.validTo());
            case "enabled" -> p.enabled();
            case "groups" -> new TreeSet<>(p.groupIds());
            default -> credentialSteps.toString(); // types and credential ids, never values
        };
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((field + "=" + value).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    private static void diff(List<String> changed, String field, Object actual, Object desired) {
        if (!Objects.equals(actual, desired)) {
            changed.add(field);
        }
    }

    private static Instant second(Instant t) {
        return t == null ? null : t.truncatedTo(ChronoUnit.SECONDS);
    }
}
