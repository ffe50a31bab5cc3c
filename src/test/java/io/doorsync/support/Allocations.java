package io.doorsync.support;

import java.lang.management.ManagementFactory;
import java.util.Arrays;

/**
 * What the JVM's live threads have allocated so far, to show a piece of work stays within a memory bound (the
 * run's writers and the HTTP workers are pools that live on, so their counts survive the work).
 */
public final class Allocations {

    private Allocations() {
    }

    public static long byLiveThreads() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        return Arrays.stream(threads.getThreadAllocatedBytes(threads.getAllThreadIds())).filter(b -> b > 0).sum();
    }
}
