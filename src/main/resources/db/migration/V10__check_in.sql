-- Check-ins: DoorFlow's access events (admits and rejects), read incrementally (doorsync.checkins.*), for the
-- CRM to read: grant select on doorsync.check_in to the CRM's role. The credential number an event carries is
-- never stored. Rows older than doorsync.checkins.retention are deleted.
create table check_in (
    event_id   bigint primary key,          -- DoorFlow's event id: a re-read event is the same row
    at         timestamptz not null,        -- when it happened (DoorFlow's created_at)
    member_id  text,                        -- the CRM member linked to the person when the event was read; null: not doorsync's
    person_id  bigint,                      -- the DoorFlow person, if the event names one
    door_id    bigint,                      -- the door controller (DoorFlow: channel)
    door_name  text,
    admitted   boolean     not null,        -- true: admit (event codes 10-18, 70); false: reject (20-29, 71-73)
    event_code integer     not null
);
create index check_in_at_idx on check_in (at);
create index check_in_member_idx on check_in (member_id, at desc);

-- How far the events have been read: the next read starts a little before it (events can be written late).
create table check_in_cursor (
    id         smallint primary key default 1 check (id = 1),
    read_up_to timestamptz not null
);
