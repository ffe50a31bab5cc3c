package io.doorsync.run;

import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

/**
 * Carried alongside: after the run's changes, each thing a person carries besides them ({@link Carried}: the photo
 * today) is planned and carried out, for the members this run may write, until the run's permit stops it.
 */
@ApplicationScoped
class CarriedAlongsidePhase implements Phase {

    private final List<Carried> carried;

    CarriedAlongsidePhase(Instance<Carried> carried) {
        // Sorted by class name, so their order (and the run's summary) is the same on every start.
        this.carried = carried.stream().sorted(java.util.Comparator.comparing(c -> c.getClass().getName())).toList();
    }

    @Override
    public RunContext run(RunContext run) {
        String onlyMember = run.request().onlyMember();
        Set<String> writable = onlyMember != null ? Set.of(onlyMember) : run.scope();
        for (Carried thing : carried) {
            if (!run.writing()) {
                break;
            }
            if (thing.enabled()) {
                run = run.carried(thing.carry(run, writable), run.permit().stopReason());
            }
        }
        return run;
    }
}
