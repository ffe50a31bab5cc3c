package io.doorsync.run;

/** One named step of a sync run: takes the run so far, returns it with what this step found or did. */
interface Phase {

    RunContext run(RunContext run);
}
