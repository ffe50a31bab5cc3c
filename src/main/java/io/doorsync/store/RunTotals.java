package io.doorsync.store;

/** What a run counted; quarantined members are reported, not failures. */
public record RunTotals(int planned, int applied, int failed, int unchanged, int quarantined) {

    public static final RunTotals NONE = new RunTotals(0, 0, 0, 0, 0);
}
