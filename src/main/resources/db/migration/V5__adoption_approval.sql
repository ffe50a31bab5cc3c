-- Adoptions an operator approved: member member_id may take over DoorFlow person person_id (which holds more
-- than the member should, or is disabled). Pinned to that person; used once, then removed.
create table adoption_approval (
    member_id   text primary key,
    person_id   bigint      not null,
    approved_at timestamptz not null
);
