package io.doorsync.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.doorsync.plan.Change.UpdatePerson;
import io.doorsync.plan.Plan.DriftProblem;

/**
 * DoorFlow differs from what doorsync applied while the CRM did not change: which fields to put back. A
 * descriptive field DoorFlow was found back at after {@code limit} repairs of the same value is reported and
 * left as DoorFlow has it; a field that grants access is reported and still repaired. Pure.
 */
final class DriftRepair {

    /** The repair to apply (null: nothing to write), and the fields to report. */
    record Decision(UpdatePerson change, List<DriftProblem> problems) {
    }

    private DriftRepair() {
    }

    static Decision decide(String memberId, DoorFlowPerson person, Link link, PersonSpec full, Set<Long> owned,
            String saved, List<String> changed, List<CredentialChange> credentialSteps, int limit) {
        List<String> drifted = new ArrayList<>(changed);
        if (!credentialSteps.isEmpty()) {
            drifted.add("credentials");
        }
        List<DriftProblem> problems = new ArrayList<>();
        List<String> repaired = new ArrayList<>();
        List<String> keptAsIs = new ArrayList<>();
        Map<String, DriftMemory> memory = new TreeMap<>();
        for (String field : drifted) {
            String seen = PersonDiff.fingerprint(person, field, credentialSteps);
            DriftMemory before = link.drift().get(field);
            int repairs = before != null && before.seen().equals(seen) ? before.repairs() : 0;
            if (repairs >= limit) {
                boolean descriptive = PersonDiff.descriptive(full, field);
                problems.add(new DriftProblem(memberId, field, "DoorFlow did not keep " + field + " after " + repairs
                        + " repairs in a row; " + (descriptive ? "doorsync stops writing it until the CRM or DoorFlow"
                                + " changes it" : "doorsync keeps repairing it, because it grants access")));
                if (descriptive) {
                    keptAsIs.add(field);
                    memory.put(field, before);
                    continue;
                }
            }
            repaired.add(field);
            memory.put(field, new DriftMemory(repairs + 1, seen));
        }
        if (repaired.isEmpty()) {
            return new Decision(null, problems);
        }
        List<String> toPut = changed.stream().filter(f -> !keptAsIs.contains(f)).toList();
        return new Decision(new UpdatePerson(memberId, person.id(), PersonDiff.keepDoorFlow(full, person, keptAsIs),
                owned, saved, toPut, credentialSteps, repaired, memory, person.groupIds()), problems);
    }
}
