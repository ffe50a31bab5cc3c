package io.doorsync.store;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** Row of person_link: which DoorFlow person a member is, and what doorsync last applied to it. */
@Entity
@Table(name = "person_link")
public class PersonLinkEntity extends PanacheEntityBase {

    @Id
    @Column(name = "member_id")
    public String memberId;

    @Column(name = "person_id", nullable = false)
    public long personId;

    @Column(name = "applied_hash", nullable = false)
    public String appliedHash;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "applied_groups", nullable = false)
    public Long[] appliedGroups;

    /** JSON: field → {repairs, seen}; see DriftMemory. */
    @Column(name = "drift", nullable = false)
    public String drift = "{}";

    @Column(name = "linked_at", nullable = false)
    public Instant linkedAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
