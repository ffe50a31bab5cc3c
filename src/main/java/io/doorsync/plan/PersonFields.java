package io.doorsync.plan;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The fields doorsync manages on a DoorFlow person, compared in DoorFlow's normal forms so that what DoorFlow
 * normalizes is never "repaired" again and again: emails without case or surrounding blanks, texts without
 * surrounding blanks (blank = none), timestamps to the second, groups as a set.
 */
final class PersonFields {

    /** Descriptive fields: after repeated repairs DoorFlow did not keep, doorsync stops writing them. */
    static final Set<String> DESCRIPTIVE = Set.of("email", "first_name", "last_name", "telephone", "department",
            "job_title");

    private PersonFields() {
    }

    /**
     * The fields where DoorFlow's person differs from the spec, in a fixed order. Nearly every person matches,
     * so the groups are compared as they are, without a sorted copy per person (it showed at 100,000 members).
     */
    static List<String> changed(DoorFlowPerson p, PersonSpec s) {
        List<String> changed = new ArrayList<>();
        diff(changed, "system_id", p.systemId(), s.systemId());
        diff(changed, "email", email(p.email()), email(s.email()));
        diff(changed, "first_name", text(p.firstName()), text(s.firstName()));
        diff(changed, "last_name", text(p.lastName()), text(s.lastName()));
        diff(changed, "telephone", text(p.telephone()), text(s.telephone()));
        diff(changed, "department", text(p.department()), text(s.department()));
        diff(changed, "job_title", text(p.jobTitle()), text(s.jobTitle()));
        diff(changed, "valid_from", second(p.validFrom()), second(s.validFrom()));
        diff(changed, "valid_to", second(p.validTo()), second(s.validTo()));
        diff(changed, "enabled", p.enabled(), s.enabled());
        diff(changed, "groups", p.groupIds(), s.groupIds()); // sets are equal by content, whatever their order
        return changed;
    }

    /** The spec with DoorFlow's own value kept in {@code fields} (those doorsync stopped writing). */
    static PersonSpec keepDoorFlow(PersonSpec s, DoorFlowPerson p, List<String> fields) {
        return new PersonSpec(s.systemId(),
                fields.contains("email") ? p.email() : s.email(),
                fields.contains("first_name") ? p.firstName() : s.firstName(),
                fields.contains("last_name") ? p.lastName() : s.lastName(),
                fields.contains("telephone") ? p.telephone() : s.telephone(),
                fields.contains("department") ? p.department() : s.department(),
                fields.contains("job_title") ? p.jobTitle() : s.jobTitle(),
                s.validFrom(), s.validTo(), s.enabled(), s.groupIds());
    }

    /** A fingerprint of DoorFlow's value of a field (never the value: it may be personal data). */
    static String fingerprint(DoorFlowPerson p, String field, List<CredentialChange> credentialSteps) {
        Object value = switch (field) {
            case "system_id" -> p.systemId();
            case "email" -> email(p.email());
            case "first_name" -> text(p.firstName());
            case "last_name" -> text(p.lastName());
            case "telephone" -> text(p.telephone());
            case "department" -> text(p.department());
            case "job_title" -> text(p.jobTitle());
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

    private static String email(String s) {
        return MemberRules.isBlank(s) ? null : s.strip().toLowerCase(Locale.ROOT);
    }

    private static String text(String s) {
        return MemberRules.trimToNull(s);
    }

    private static Instant second(Instant t) {
        return t == null ? null : t.truncatedTo(ChronoUnit.SECONDS);
    }
}
