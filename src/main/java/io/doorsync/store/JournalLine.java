package io.doorsync.store;

/** One journal entry: what happened to a member (or team), its outcome, and words for the operator. */
public record JournalLine(String memberId, String teamId, String kind, JournalOutcome outcome, Long personId,
        String detail) {

    public static JournalLine ofMember(String memberId, String kind, JournalOutcome outcome, Long personId,
            String detail) {
        return new JournalLine(memberId, null, kind, outcome, personId, detail);
    }

    /** About the run as a whole (the guard, the push to doors). */
    public static JournalLine ofRun(String kind, JournalOutcome outcome, String detail) {
        return new JournalLine(null, null, kind, outcome, null, detail);
    }
}
