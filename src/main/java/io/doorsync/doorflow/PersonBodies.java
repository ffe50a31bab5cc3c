package io.doorsync.doorflow;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.doorsync.doorflow.DoorFlowDtos.Person;
import io.doorsync.plan.DoorFlowPerson;
import io.doorsync.plan.PersonFields;
import io.doorsync.plan.PersonSpec;
import io.doorsync.plan.PersonTexts;
import io.doorsync.plan.ValuePool;

/** DoorFlow's person bodies to and from the planner's records, through the person field table. */
final class PersonBodies {

    private PersonBodies() {
    }

    /** A listed person as the planner sees it: the table's texts; {@code shared} keeps equal group sets once. */
    static DoorFlowPerson toPlan(Person p, PersonFields fields, ValuePool shared) {
        String[] texts = new String[fields.size()];
        for (int i = 0; i < texts.length; i++) {
            texts[i] = p.text(fields.get(i).doorflowField());
        }
        return new DoorFlowPerson(p.id(), p.systemId(), PersonTexts.of(fields, texts), instant(p.validFrom()),
                instant(p.validTo()), p.enabled() == null || p.enabled(),
                p.groups() == null ? Set.of() : shared.one(Set.copyOf(p.groups())));
    }

    /**
     * components.schemas.PersonInput with the fields doorsync manages, and only those: a text field it does not
     * manage is left out (DoorFlow keeps it), while a managed one without a value is sent as null, so a value
     * removed in the CRM is cleared in DoorFlow. A map, because which texts are managed is the operator's mapping.
     */
    static Map<String, Object> toInput(PersonSpec s) {
        Map<String, Object> input = new LinkedHashMap<>();
        PersonTexts texts = s.texts();
        for (int i = 0; i < texts.fields().size(); i++) {
            input.put(texts.fields().get(i).doorflowField(), texts.get(i));
        }
        input.put("system_id", s.systemId());
        input.put("enabled", s.enabled());
        input.put("valid_from", offset(s.validFrom()));
        input.put("valid_to", offset(s.validTo()));
        input.put("group_ids", List.copyOf(s.groupIds()));
        return input;
    }

    private static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }

    private static OffsetDateTime offset(Instant t) {
        return t == null ? null : t.atOffset(ZoneOffset.UTC);
    }
}
