package io.doorsync.doorflow;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Writes at once: halved on a 429 (once per burst), grown back by one per 50 writes DoorFlow took. */
class WriteLimitTest {

    @Test
    void aBurstOfRateLimitsHalvesTheLimitOnceAndItGrowsBackSlowly() {
        WriteLimit limit = new WriteLimit(8);
        for (int i = 0; i < 8; i++) {
            assertThat(limit.acquire()).isTrue();
        }
        for (int i = 0; i < 8; i++) {
            limit.release(true); // every write in flight met the same 429
        }
        assertThat(limit.limit()).isEqualTo(4);

        for (int i = 0; i < WriteLimit.GROW_AFTER - 1; i++) {
            write(limit, false);
        }
        assertThat(limit.limit()).isEqualTo(4);
        write(limit, false);
        assertThat(limit.limit()).isEqualTo(5);
        for (int i = 0; i < 10 * WriteLimit.GROW_AFTER; i++) {
            write(limit, false);
        }
        assertThat(limit.limit()).as("never above doorsync.sync.concurrency").isEqualTo(8);
    }

    @Test
    void neverBelowOneAndAWriterWaitsForAFreeSlot() throws InterruptedException {
        WriteLimit limit = new WriteLimit(1);
        write(limit, true);
        assertThat(limit.limit()).isEqualTo(1);

        assertThat(limit.acquire()).isTrue();
        Thread second = new Thread(() -> {
            limit.acquire();
            limit.release(false);
        });
        second.start();
        second.join(200);
        assertThat(second.isAlive()).as("waits while the one slot is taken").isTrue();
        limit.release(false);
        second.join(5_000);
        assertThat(second.isAlive()).isFalse();
    }

    private static void write(WriteLimit limit, boolean rateLimited) {
        assertThat(limit.acquire()).isTrue();
        limit.release(rateLimited);
    }
}
