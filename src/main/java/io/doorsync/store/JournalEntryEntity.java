package io.doorsync.store;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** Row of change_journal: one change (or quarantine decision, or team problem) and its outcome. */
@Entity
@Table(name = "change_journal")
public class JournalEntryEntity extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "run_id", nullable = false)
    public long runId;

    @Column(nullable = false)
    public Instant at;

    @Column(name = "member_id")
    public String memberId;

    @Column(name = "team_id")
    public String teamId;

    @Column(nullable = false)
    public String kind;

    @Column(nullable = false)
    public String outcome;

    @Column(name = "person_id")
    public Long personId;

    public String detail;
}
