package io.doorsync.plan;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

import io.doorsync.plan.PersonField.Form;

/**
 * The table of person text fields doorsync sends to DoorFlow: the built-in ones, then the operator's mappings
 * ({@code doorsync.mapping.<doorflow field>=<crm column>}) in DoorFlow field order. It drives the CRM read,
 * validation ({@link MemberRules}), the spec hash, drift comparison ({@link PersonDiff}), the metrics and the
 * DoorFlow request body. A new built-in field is one row in {@link #BUILT_IN}.
 */
public final class PersonFields {

    /** DoorFlow stores these as database strings; longer values are refused, so refuse them here, by name. */
    public static final int MAX_TEXT_LENGTH = 255;
    public static final int MAX_EMAIL_LENGTH = 254;

    /** The built-in fields; their order is part of the spec hash, so a new one goes at the end. */
    public static final PersonFields BUILT_IN = new PersonFields(List.of(
            new PersonField("email", "email", Form.EMAIL, MAX_EMAIL_LENGTH, true, false),
            new PersonField("first_name", "first_name", Form.TEXT, MAX_TEXT_LENGTH, true, false),
            new PersonField("last_name", "last_name", Form.TEXT, MAX_TEXT_LENGTH, true, false),
            new PersonField("telephone", "phone", Form.TEXT, MAX_TEXT_LENGTH, false, false),
            new PersonField("department", "department", Form.TEXT, MAX_TEXT_LENGTH, false, false),
            new PersonField("job_title", "job_title", Form.TEXT, MAX_TEXT_LENGTH, false, false)));

    /** The DoorFlow person fields (openapi.yaml PersonInput) a mapping may send a CRM column to. */
    public static final Set<String> MAPPABLE = Set.of("salutation", "mobile", "notes", "custom_1", "custom_2",
            "custom_3", "custom_4", "custom_5");

    /** The fields that grant access: compared and repaired like the texts, but never left as DoorFlow has them. */
    public static final List<String> ACCESS = List.of("system_id", "valid_from", "valid_to", "enabled", "groups",
            "credentials");

    private static final Pattern COLUMN = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

    private final List<PersonField> fields;
    private final Map<String, Integer> indexes = new HashMap<>();

    private PersonFields(List<PersonField> fields) {
        this.fields = List.copyOf(fields);
        for (int i = 0; i < this.fields.size(); i++) {
            indexes.put(this.fields.get(i).doorflowField(), i);
        }
    }

    /**
     * The built-in fields and {@code mappings} (DoorFlow field → CRM column). A mapping to a field that is not
     * mappable, or from a column that is not a plain identifier, is refused with the setting's name.
     */
    public static PersonFields withMappings(Map<String, String> mappings) {
        if (mappings.isEmpty()) {
            return BUILT_IN;
        }
        List<PersonField> all = new ArrayList<>(BUILT_IN.fields);
        Map<String, String> byField = new TreeMap<>();
        // DOORSYNC_MAPPING_CUSTOM_1 in the environment arrives as key custom.1: field names have no dot or dash.
        mappings.forEach((key, column) -> byField.put(key.toLowerCase(java.util.Locale.ROOT).replace('.', '_')
                .replace('-', '_'), column));
        byField.forEach((field, column) -> {
            String setting = "doorsync.mapping." + field;
            if (!MAPPABLE.contains(field)) {
                throw new IllegalArgumentException(setting + ": DoorFlow field '" + field + "' cannot be mapped;"
                        + " mappable fields are " + new java.util.TreeSet<>(MAPPABLE));
            }
            if (column == null || !COLUMN.matcher(column.strip()).matches()) {
                throw new IllegalArgumentException(setting + " = '" + column + "' is not a plain column name of the"
                        + " CRM's members relation (letters, digits, underscore)");
            }
            all.add(new PersonField(field, column.strip(), Form.TEXT, MAX_TEXT_LENGTH, false, true));
        });
        return new PersonFields(all);
    }

    public int size() {
        return fields.size();
    }

    public PersonField get(int index) {
        return fields.get(index);
    }

    public List<PersonField> all() {
        return fields;
    }

    /** The position of a DoorFlow field, or -1. */
    public int indexOf(String doorflowField) {
        Integer i = indexes.get(doorflowField);
        return i == null ? -1 : i;
    }

    /** Whether {@code field} is one of these texts (descriptive), rather than one that grants access. */
    public boolean isText(String field) {
        return indexes.containsKey(field);
    }

    /** Every field a change or a drift repair can name: the texts, then those granting access. */
    public List<String> names() {
        List<String> names = new ArrayList<>();
        fields.forEach(f -> names.add(f.doorflowField()));
        names.addAll(ACCESS);
        return names;
    }

    @Override
    public boolean equals(Object o) {
        return o == this || o instanceof PersonFields other && other.fields.equals(fields);
    }

    @Override
    public int hashCode() {
        return fields.hashCode();
    }

    @Override
    public String toString() {
        return fields.stream().map(f -> f.crmColumn() + "→" + f.doorflowField()).toList().toString();
    }
}
