package io.doorsync.run;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.doorsync.Account;
import io.doorsync.plan.Plan.CredentialProblem;
import io.doorsync.plan.Plan.Quarantine;
import io.doorsync.plan.Plan.TeamProblem;
import io.doorsync.plan.Plan;
import io.doorsync.store.JournalLine;
import io.doorsync.store.JournalOutcome;
import io.doorsync.store.QuarantineStore;
import io.doorsync.store.RunStore;

/** What a run's plan found wrong (quarantine, teams, credentials, drift), journaled and logged once, not every tick. */
@ApplicationScoped
class ProblemReports {

    private static final Logger LOG = Logger.getLogger(ProblemReports.class);

    private final QuarantineStore quarantine;
    private final RunStore runs;
    private final Set<Reported> reportedProblems = ConcurrentHashMap.newKeySet();

    ProblemReports(QuarantineStore quarantine, RunStore runs) {
        this.quarantine = quarantine;
        this.runs = runs;
    }

    /**
     * Quarantine, team and credential problems are journaled and logged when they first appear, not on every
     * tick. {@code scope} is the members a run planned (null: everyone): what was found about others stands.
     */
    void report(Account account, long runId, Plan plan, int rowsWithoutId, Instant now, Set<String> scope) {
        List<JournalLine> lines = new ArrayList<>();
        for (Quarantine q : quarantine.replaceQuarantine(account, runId, plan.quarantined(), now, scope)) {
            LOG.warnf("member %s quarantined: %s", q.memberId(), q.reason());
            lines.add(JournalLine.ofMember(q.memberId(), "quarantine", JournalOutcome.HELD, null, q.reason()));
        }
        Set<Reported> current = new HashSet<>();
        for (TeamProblem t : plan.teamProblems()) {
            Reported key = new Reported(account, "team", t.teamId(), t.reason());
            current.add(key);
            if (reportedProblems.add(key)) {
                LOG.warnf("team %s: %s", t.teamId(), t.reason());
                lines.add(new JournalLine(null, t.teamId(), "team", JournalOutcome.ERROR, null, t.reason()));
            }
        }
        for (CredentialProblem p : plan.credentialProblems()) {
            Reported key = new Reported(account, "credential", p.memberId(), p.typeSlug() + ": " + p.reason());
            current.add(key);
            if (reportedProblems.add(key)) {
                LOG.warnf("member %s, credential type %s: %s", p.memberId(), p.typeSlug(), p.reason());
                lines.add(JournalLine.ofMember(p.memberId(), "credential", JournalOutcome.ERROR, null, p.reason()));
            }
        }
        for (Plan.DriftProblem d : plan.driftProblems()) {
            Reported key = new Reported(account, "drift", d.memberId(), d.field());
            current.add(key);
            if (reportedProblems.add(key)) {
                LOG.warnf("member %s, %s: %s", d.memberId(), d.field(), d.reason());
                lines.add(JournalLine.ofMember(d.memberId(), "drift", JournalOutcome.ERROR, null, d.reason()));
            }
        }
        // A problem no longer found is forgotten (and reported again if it comes back), within what was planned.
        reportedProblems.removeIf(key -> key.account().equals(account) && !current.contains(key) && (scope == null || key.kind().equals("team")
                || scope.contains(key.subject())));
        if (rowsWithoutId > 0) {
            LOG.warnf("%d CRM rows have no id and were ignored", rowsWithoutId);
        }
        if (!lines.isEmpty()) {
            runs.journal(account, runId, lines);
        }
    }

    /** A problem reported once: its account, its kind, the team or member it is about, and what it says. */
    private record Reported(Account account, String kind, String subject, String detail) {
    }
}
