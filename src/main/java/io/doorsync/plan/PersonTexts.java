package io.doorsync.plan;

import java.util.Arrays;
import java.util.Objects;

/**
 * A person's text field values in the order of their {@link PersonFields} table: as the CRM holds them (in a
 * {@link CrmMember}), as doorsync sends them (in a {@link PersonSpec}) or as DoorFlow holds them (in a
 * {@link DoorFlowPerson}). An array rather than a map: there is one per member, and a run holds 100,000 of them.
 */
public final class PersonTexts {

    private final PersonFields fields;
    private final String[] values;

    private PersonTexts(PersonFields fields, String[] values) {
        this.fields = fields;
        this.values = values;
    }

    /** The values of {@code fields}, in its order. */
    public static PersonTexts of(PersonFields fields, String... values) {
        if (values.length != fields.size()) {
            throw new IllegalArgumentException(values.length + " values for " + fields.size() + " person fields");
        }
        return new PersonTexts(fields, values.clone());
    }

    /** The six built-in fields the records' short constructors take; a built-in field added after them is null. */
    public static PersonTexts builtIn(String email, String firstName, String lastName, String telephone,
            String department, String jobTitle) {
        String[] values = new String[PersonFields.BUILT_IN.size()];
        String[] given = {email, firstName, lastName, telephone, department, jobTitle};
        System.arraycopy(given, 0, values, 0, given.length);
        return new PersonTexts(PersonFields.BUILT_IN, values);
    }

    public PersonFields fields() {
        return fields;
    }

    /** The value of the table's {@code index}th field. */
    public String get(int index) {
        return values[index];
    }

    /** The value of a DoorFlow field; null when this table has no such field. */
    public String get(String doorflowField) {
        int i = fields.indexOf(doorflowField);
        return i < 0 ? null : values[i];
    }

    /** The value of the same field as {@code other}'s {@code index}th, found by position when the tables agree. */
    String sameFieldAs(PersonTexts other, int index) {
        return other.fields == fields ? values[index] : get(other.fields.get(index).doorflowField());
    }

    /** These values with one field's value replaced (a test's variation of a member or person). */
    public PersonTexts with(String doorflowField, String value) {
        int i = fields.indexOf(doorflowField);
        if (i < 0) {
            throw new IllegalArgumentException("no person field " + doorflowField + " in " + fields);
        }
        String[] changed = values.clone();
        changed[i] = value;
        return new PersonTexts(fields, changed);
    }

    /** These values with the fields in {@code keep} taken from {@code from} (DoorFlow's values, kept as they are). */
    PersonTexts keeping(PersonTexts from, java.util.Collection<String> keep) {
        String[] kept = values.clone();
        for (int i = 0; i < kept.length; i++) {
            if (keep.contains(fields.get(i).doorflowField())) {
                kept[i] = from.sameFieldAs(this, i);
            }
        }
        return new PersonTexts(fields, kept);
    }

    /** The values as DoorFlow is to be sent them. */
    PersonTexts sent() {
        String[] sent = new String[values.length];
        for (int i = 0; i < sent.length; i++) {
            sent[i] = fields.get(i).sent(values[i]);
        }
        return new PersonTexts(fields, sent);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PersonTexts other && other.fields.equals(fields) && Arrays.equals(other.values, values);
    }

    @Override
    public int hashCode() {
        return Objects.hash(fields, Arrays.hashCode(values));
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            s.append(i == 0 ? "" : ", ").append(fields.get(i).doorflowField()).append('=').append(values[i]);
        }
        return s.toString();
    }
}
