package io.doorsync.store;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** Row of sync_run: one tick (or manual run) and how it ended. */
@Entity
@Table(name = "sync_run")
public class SyncRunEntity extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(nullable = false)
    public String trigger;

    @Column(name = "started_at", nullable = false)
    public Instant startedAt;

    @Column(name = "finished_at")
    public Instant finishedAt;

    public String outcome;
    public int planned;
    public int applied;
    public int failed;
    public int unchanged;
    public int quarantined;
    public String message;
    /** Every change that could be applied was, and the push went out (only refusals for a member failed). */
    public boolean complete;
}
