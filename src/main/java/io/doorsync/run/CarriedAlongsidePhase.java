package io.doorsync.run;

import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.doorsync.DoorsyncConfig;
import io.doorsync.crm.CrmReader;
import io.doorsync.crm.CrmReader.CrmSnapshot;
import io.doorsync.execute.Applier;
import io.doorsync.execute.PhotoSync;
import io.doorsync.plan.Change;
import io.doorsync.plan.PhotoPlanner;
import io.doorsync.store.LinkStore;

/**
 * Carried alongside: what a person carries besides its fields and credentials, planned after the run's changes
 * from the links as they are now (a member linked by this run gets its photo in this run too), for the members that
 * may be written. Today that is the photo.
 */
@ApplicationScoped
class CarriedAlongsidePhase implements Phase {

    private final DoorsyncConfig config;
    private final LinkStore links;
    private final PhotoSync photoSync;

    CarriedAlongsidePhase(DoorsyncConfig config, LinkStore links, PhotoSync photoSync) {
        this.config = config;
        this.links = links;
        this.photoSync = photoSync;
    }

    @Override
    public RunContext run(RunContext run) {
        if (!run.writing() || !config.photos().enabled()) {
            return run;
        }
        String onlyMember = run.request().onlyMember();
        String photos = photos(run, onlyMember != null ? Set.of(onlyMember) : run.scope()).describe();
        return run.carried(photos, run.permit().stopReason());
    }

    private PhotoSync.Done photos(RunContext run, Set<String> scope) {
        CrmSnapshot desired = run.reading().desired();
        Map<String, PhotoPlanner.Applied> applied = links.appliedPhotos();
        if (desired.photos().isEmpty() && applied.isEmpty()) {
            return new PhotoSync.Done(0, 0, 0, 0); // the CRM has no photos, and doorsync set none
        }
        List<Applier.Result> results = run.applied().results();
        boolean linked = results.stream().anyMatch(r -> r.applied() && (r.change() instanceof Change.CreatePerson
                || r.change() instanceof Change.AdoptPerson));
        Set<String> writable = PhotoPlanner.writable(desired.members(), run.plan());
        if (scope != null) {
            writable.retainAll(scope);
        }
        PhotoSync.Done done = photoSync.apply(run.runId(), PhotoPlanner.plan(desired.photos(), linked
                ? links.links(scope) : run.reading().input().links(), applied, writable), run.permit());
        if (!desired.photos().isEmpty()) { // the relation is there: the next runs need not hash what is unchanged
            links.rememberPhotoVersions(config.crm().schema(), CrmReader.PHOTO_VERSION);
        }
        return done;
    }
}
