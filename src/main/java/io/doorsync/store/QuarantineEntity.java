package io.doorsync.store;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** Row of quarantine: a member doorsync is not touching, and why. */
@Entity
@Table(name = "quarantine")
public class QuarantineEntity extends PanacheEntityBase {

    @Id
    @Column(name = "member_id")
    public String memberId;

    @Column(nullable = false)
    public String reason;

    @Column(nullable = false)
    public Instant since;

    @Column(name = "last_seen", nullable = false)
    public Instant lastSeen;

    @Column(name = "run_id")
    public Long runId;
}
