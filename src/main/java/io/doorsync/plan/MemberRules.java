package io.doorsync.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Checks a CRM row can become a DoorFlow person; returns every problem, in words an operator can act on. */
public final class MemberRules {

    // Deliberately loose: one @, no whitespace, a dot in the domain. DoorFlow is the final judge.
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s.]+$");

    private MemberRules() {
    }

    /** Every problem of the row, field by field in the order of its {@link PersonFields} table, then validity. */
    public static List<String> problems(CrmMember m) {
        List<String> problems = new ArrayList<>();
        PersonTexts texts = m.texts();
        for (int i = 0; i < texts.fields().size(); i++) {
            PersonField field = texts.fields().get(i);
            String value = texts.get(i);
            if (field.required() && isBlank(value)) {
                problems.add(field.named() + " is missing");
            } else if (value != null && value.length() > field.maxLength()) {
                problems.add(field.named() + " is " + value.length() + " characters long (at most "
                        + field.maxLength() + ")");
            } else if (field.form() == PersonField.Form.EMAIL && !isBlank(value)
                    && !EMAIL.matcher(value.strip()).matches()) {
                problems.add(field.named() + " '" + value + "' is not a valid address");
            }
        }
        if (m.validFrom() != null && m.validTo() != null && m.validTo().isBefore(m.validFrom())) {
            problems.add("valid_to " + m.validTo() + " is before valid_from " + m.validFrom());
        }
        return problems;
    }

    static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
