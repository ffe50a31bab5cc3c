package io.doorsync.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Checks a CRM row can become a DoorFlow person; returns every problem, in words an operator can act on. */
public final class MemberRules {

    /** DoorFlow stores these as database strings; longer values are refused, so refuse them here, by name. */
    public static final int MAX_TEXT_LENGTH = 255;
    public static final int MAX_EMAIL_LENGTH = 254;

    // Deliberately loose: one @, no whitespace, a dot in the domain. DoorFlow is the final judge.
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s.]+$");

    private MemberRules() {
    }

    public static List<String> problems(CrmMember m) {
        List<String> problems = new ArrayList<>();
        if (isBlank(m.email())) {
            problems.add("email is missing");
        } else if (m.email().length() > MAX_EMAIL_LENGTH) {
            problems.add("email is " + m.email().length() + " characters long (at most " + MAX_EMAIL_LENGTH + ")");
        } else if (!EMAIL.matcher(m.email().strip()).matches()) {
            problems.add("email '" + m.email() + "' is not a valid address");
        }
        requireText(problems, "first_name", m.firstName());
        requireText(problems, "last_name", m.lastName());
        limitText(problems, "phone", m.phone());
        limitText(problems, "department", m.department());
        limitText(problems, "job_title", m.jobTitle());
        if (m.validFrom() != null && m.validTo() != null && m.validTo().isBefore(m.validFrom())) {
            problems.add("valid_to " + m.validTo() + " is before valid_from " + m.validFrom());
        }
        return problems;
    }

    private static void requireText(List<String> problems, String column, String value) {
        if (isBlank(value)) {
            problems.add(column + " is missing");
        } else {
            limitText(problems, column, value);
        }
    }

    private static void limitText(List<String> problems, String column, String value) {
        if (value != null && value.length() > MAX_TEXT_LENGTH) {
            problems.add(column + " is " + value.length() + " characters long (at most " + MAX_TEXT_LENGTH + ")");
        }
    }

    static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    /** An optional text field as DoorFlow is given it: stripped, blank as absent. */
    static String trimToNull(String s) {
        return isBlank(s) ? null : s.strip();
    }
}
