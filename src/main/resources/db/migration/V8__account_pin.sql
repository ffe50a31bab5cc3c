-- The DoorFlow account doorsync was first connected to. A connection to another account stops writes until an
-- operator confirms it (POST /admin/api/account): every member would be created again there.
create table account_pin (
    id         smallint primary key default 1 check (id = 1),
    account_id text        not null,
    pinned_at  timestamptz not null
);
