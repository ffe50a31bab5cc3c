package io.doorsync.run;

import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.doorsync.DoorsyncConfig;
import io.doorsync.crm.CrmReader;
import io.doorsync.crm.CrmReaders;
import io.doorsync.crm.CrmReader.CrmSnapshot;
import io.doorsync.execute.Applier;
import io.doorsync.execute.PhotoSync;
import io.doorsync.plan.Change;
import io.doorsync.plan.PhotoPlanner;
import io.doorsync.store.LinkStore;

/**
 * The CRM's photo, carried alongside: planned after the run's changes from the links as they are now (a member
 * linked by this run gets its photo in this run too), for the members that may be written.
 */
@ApplicationScoped
class CarriedPhotos implements Carried {

    private final DoorsyncConfig config;
    private final LinkStore links;
    private final PhotoSync photoSync;
    private final CrmReaders crm;

    CarriedPhotos(DoorsyncConfig config, LinkStore links, PhotoSync photoSync, CrmReaders crm) {
        this.config = config;
        this.crm = crm;
        this.links = links;
        this.photoSync = photoSync;
    }

    @Override
    public boolean enabled() {
        return config.photos().enabled();
    }

    @Override
    public String carry(RunContext run, Set<String> writable) {
        return photos(run, writable).describe();
    }

    private PhotoSync.Done photos(RunContext run, Set<String> scope) {
        CrmSnapshot desired = run.reading().desired();
        Map<String, PhotoPlanner.Applied> applied = links.appliedPhotos(run.account());
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
        PhotoSync.Done done = photoSync.apply(run.account(), run.runId(), PhotoPlanner.plan(desired.photos(), linked
                ? links.links(run.account(), scope) : run.reading().input().links(), applied, writable), run.permit());
        if (!desired.photos().isEmpty()) { // the relation is there: the next runs need not hash what is unchanged
            links.rememberPhotoVersions(run.account(), crm.of(run.account()).schemaName(), CrmReader.PHOTO_VERSION);
        }
        return done;
    }
}
