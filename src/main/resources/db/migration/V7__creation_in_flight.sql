-- Members whose DoorFlow person this installation started to create and has not linked yet. Written before
-- the POST, removed with the link: after a crash in between, the person carrying the member's system_id is
-- known to be this installation's own (and not another installation's on the same DoorFlow account).
create table creation_in_flight (
    member_id  text primary key,
    started_at timestamptz not null
);
