package io.doorsync.store;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.doorsync.Account;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** An account's row of push_state: whether DoorFlow is owed a push to doors, not before when, and a refusal. */
@Entity
@Table(name = "push_state")
public class PushStateEntity extends PanacheEntityBase {

    @Id
    public String account = Account.DEFAULT.id();

    @Column(nullable = false)
    public boolean pending;

    @Column(name = "not_before")
    public Instant notBefore;

    /** Why DoorFlow last refused a push (not a rate limit); null once one succeeds. */
    @Column(name = "refused")
    public String refused;
}
