package io.doorsync.plan;

import java.util.Locale;

/**
 * One row of the person field table ({@link PersonFields}): a CRM column of the members relation, the DoorFlow
 * person field it is sent to, its normal form, its length limit and whether a member needs it. Every text field is
 * descriptive: it says who a person is, it opens no door. What grants access (system_id, validity, enabled,
 * groups, credentials) has rules of its own in the planner and is not in the table.
 */
public record PersonField(String doorflowField, String crmColumn, Form form, int maxLength, boolean required,
        boolean mapped) {

    /** How DoorFlow normalizes a value, so what it normalizes is never "repaired" again and again. */
    public enum Form {
        /** Compared without case or surrounding blanks. */
        EMAIL,
        /** Compared without surrounding blanks; blank is none. */
        TEXT
    }

    /** The value as DoorFlow is sent it: stripped; an optional field's blank as none. */
    public String sent(String crmValue) {
        if (crmValue == null || crmValue.isBlank()) {
            return required ? crmValue : null;
        }
        return crmValue.strip();
    }

    /** The value as compared with what DoorFlow holds. */
    public String normal(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        return form == Form.EMAIL ? value.strip().toLowerCase(Locale.ROOT) : value.strip();
    }

    /** How a problem with this field names it to an operator: the CRM column, and the setting that maps it. */
    public String named() {
        return mapped ? crmColumn + " (doorsync.mapping." + doorflowField + ")" : crmColumn;
    }
}
