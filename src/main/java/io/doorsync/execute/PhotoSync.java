package io.doorsync.execute;

import java.util.Base64;
import java.util.List;
import java.util.Objects;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.doorsync.Account;
import io.doorsync.DoorsyncConfig;
import io.doorsync.crm.CrmReader.PhotoSource;
import io.doorsync.crm.CrmReaders;
import io.doorsync.doorflow.DoorFlowException;
import io.doorsync.doorflow.DoorFlowGateway;
import io.doorsync.doorflow.DoorFlowGateways;
import io.doorsync.plan.PhotoPlanner.Applied;
import io.doorsync.plan.PhotoPlanner.PhotoChange;
import io.doorsync.store.JournalLine;
import io.doorsync.store.JournalOutcome;
import io.doorsync.store.LinkStore;
import io.doorsync.store.RunStore;

/**
 * Carries out the photo changes of a run, after its other changes: reads the photo from the CRM (or fetches it from
 * its URL), checks it (size, a JPEG, PNG, GIF or WebP image) and sets it as the DoorFlow person's image. A photo
 * that is itself wrong (too large, not an image, unreachable, refused by DoorFlow with a 4xx) is reported for its
 * member and not tried again until it changes; a DoorFlow outage is retried by the next run. Either way the rest
 * of the member is synced: a photo opens no door.
 */
@ApplicationScoped
public class PhotoSync {

    private static final Logger LOG = Logger.getLogger(PhotoSync.class);

    /** What the photo phase did, for the run's message. */
    public record Done(int set, int removed, int rejected, int failed) {
        public String describe() {
            return set + removed + rejected + failed == 0 ? "" : "; photos: %d set, %d removed, %d rejected, %d failed"
                    .formatted(set, removed, rejected, failed);
        }
    }

    /** A photo that is wrong in itself: reported, and not tried again until the CRM changes it. */
    static class PhotoRejected extends Exception {
        PhotoRejected(String message) {
            super(message);
        }
    }

    private final CrmReaders crm;
    private final DoorFlowGateways doorflow;
    private final LinkStore links;
    private final RunStore runs;
    private final ChangeMetrics metrics;
    private final DoorsyncConfig config;
    private final PhotoFetch fetch;
    private final Applier applier;

    PhotoSync(CrmReaders crm, DoorFlowGateways doorflow, LinkStore links, RunStore runs, ChangeMetrics metrics,
            DoorsyncConfig config, Applier applier) {
        this.applier = applier;
        this.crm = crm;
        this.doorflow = doorflow;
        this.links = links;
        this.runs = runs;
        this.metrics = metrics;
        this.config = config;
        this.fetch = new PhotoFetch(config.photos().maxBytes(), config.photos().fetchTimeout(),
                config.photos().allowedInternalHosts().orElse(List.of()));
    }

    public Done apply(Account account, long runId, List<PhotoChange> changes, WritePermit permit) {
        if (changes.isEmpty()) {
            return new Done(0, 0, 0, 0);
        }
        // Stopped: the changes left are not sent, and the next run plans them again.
        List<Outcome> outcomes = applier.inParallel(account, runId, changes, change -> permit.stopReason() != null ? null
                : new Outcome(change, apply(account, doorflow.of(account), change))).stream().filter(Objects::nonNull).toList();
        runs.journal(account, runId, outcomes.stream().map(Outcome::line).toList());
        return new Done(count(outcomes, JournalOutcome.APPLIED, false), count(outcomes, JournalOutcome.APPLIED, true),
                count(outcomes, JournalOutcome.ERROR, null), count(outcomes, JournalOutcome.FAILED, null));
    }

    /** One photo change and how it ended. */
    private record Outcome(PhotoChange change, JournalLine line) {
    }

    /** How many ended so; {@code removal} null counts sets and removals alike. */
    private static int count(List<Outcome> outcomes, JournalOutcome outcome, Boolean removal) {
        return (int) outcomes.stream().filter(o -> o.line().outcome() == outcome
                && (removal == null || o.change().removes() == removal)).count();
    }

    private JournalLine apply(Account account, DoorFlowGateway doorflow, PhotoChange change) {
        JournalLine line = write(account, doorflow, change);
        metrics.change(account, "photo", line.outcome());
        return line;
    }

    private JournalLine write(Account account, DoorFlowGateway doorflow, PhotoChange change) {
        String member = change.memberId();
        long person = change.personId();
        try {
            if (change.removes()) {
                doorflow.removeImage(person);
                links.photoApplied(account, member, null);
                return done(member, person, "photo removed (the CRM has none any more)");
            }
            PhotoSource source = crm.of(account).photo(member, config.photos().maxBytes());
            if (source == null) {
                return failed(member, person, "the CRM's photo went away while the run was going; the next run looks"
                        + " again");
            }
            if (source.tooLarge()) {
                throw new PhotoRejected(tooLarge());
            }
            byte[] image = source.url() == null ? source.image() : fetch.fetch(source.url());
            String type = checked(image);
            doorflow.setImage(person, Base64.getEncoder().encodeToString(image));
            links.photoApplied(account, member, new Applied(person, change.key(), false));
            return done(member, person, "photo set (" + type + ", " + kib(image.length) + ")");
        } catch (PhotoRejected e) {
            links.photoApplied(account, member, new Applied(person, change.key(), true));
            return rejected(member, person, e.getMessage());
        } catch (DoorFlowException e) {
            if (e.status() >= 400 && e.status() < 500 && e.status() != 401 && e.status() != 429) {
                links.photoApplied(account, member, new Applied(person, change.key(), true));
                return rejected(member, person, "DoorFlow refused the photo: " + e.getMessage());
            }
            return failed(member, person, "the photo could not be written: " + e.getMessage());
        } catch (RuntimeException e) {
            return failed(member, person, "the photo could not be written: " + e.getMessage());
        }
    }

    /** The image's type, if it is an image DoorFlow can show and not too large. */
    private String checked(byte[] image) throws PhotoRejected {
        if (image.length > config.photos().maxBytes()) {
            throw new PhotoRejected(tooLarge());
        }
        String type = ImageType.of(image);
        if (type == null) {
            throw new PhotoRejected("the photo is not an image (a JPEG, PNG, GIF or WebP file)");
        }
        return type;
    }

    private String tooLarge() {
        return "the photo is too large: more than " + kib(config.photos().maxBytes()) + " (doorsync.photos.max-bytes)";
    }

    private static String kib(int bytes) {
        return (bytes + 1023) / 1024 + " KiB";
    }

    private JournalLine done(String member, long person, String detail) {
        return JournalLine.ofMember(member, "photo", JournalOutcome.APPLIED, person, detail);
    }

    private JournalLine rejected(String member, long person, String reason) {
        LOG.warnf("member %s: %s; not tried again until the photo changes in the CRM", member, reason);
        return JournalLine.ofMember(member, "photo", JournalOutcome.ERROR, person, reason);
    }

    private JournalLine failed(String member, long person, String reason) {
        LOG.warnf("member %s: %s", member, reason);
        return JournalLine.ofMember(member, "photo", JournalOutcome.FAILED, person, reason);
    }
}
