-- doorsync's own state. The CRM schema is only ever read; everything doorsync remembers lives here.

-- member <-> DoorFlow person, with the fingerprint of what was last applied (an unchanged member costs
-- no API call) and the groups doorsync itself put the person in (so it only ever removes its own).
create table person_link (
    member_id      text primary key,
    person_id      bigint      not null,
    applied_hash   text        not null,
    applied_groups bigint[]    not null default '{}',
    linked_at      timestamptz not null default now(),
    updated_at     timestamptz not null default now()
);
create index person_link_person_idx on person_link (person_id);

create table sync_run (
    id          bigserial primary key,
    trigger     text        not null,
    started_at  timestamptz not null,
    finished_at timestamptz,
    outcome     text,
    planned     integer     not null default 0,
    applied     integer     not null default 0,
    failed      integer     not null default 0,
    unchanged   integer     not null default 0,
    quarantined integer     not null default 0,
    message     text
);
create index sync_run_started_idx on sync_run (started_at desc);

-- One row per planned change and its outcome, plus team problems and quarantine decisions.
create table change_journal (
    id         bigserial primary key,
    run_id     bigint      not null references sync_run (id) on delete cascade,
    at         timestamptz not null default now(),
    member_id  text,
    team_id    text,
    kind       text        not null,
    outcome    text        not null,
    person_id  bigint,
    detail     text
);
create index change_journal_run_idx on change_journal (run_id);
create index change_journal_member_idx on change_journal (member_id);

-- Members doorsync will not touch until their data is fixed; recomputed every run.
create table quarantine (
    member_id  text primary key,
    reason     text        not null,
    since      timestamptz not null default now(),
    last_seen  timestamptz not null default now(),
    run_id     bigint
);

-- Push-to-doors bookkeeping: a push owed to DoorFlow survives a restart, and DoorFlow's retry_in is honoured.
create table push_state (
    id         smallint primary key default 1 check (id = 1),
    pending    boolean     not null default false,
    not_before timestamptz
);
insert into push_state (id, pending) values (1, false);
