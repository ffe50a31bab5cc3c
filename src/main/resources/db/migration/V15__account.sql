-- The account made explicit. Everything that was one per installation is now one per doorsync account: the
-- DoorFlow account pin, the push owed to doors, the check-in cursor, the OAuth connection; and every link, run,
-- journal line, quarantine entry, stamp in flight, adoption approval and check-in belongs to one. An installation
-- has one account, 'default', which every existing row is given here: nothing is lost and nothing behaves
-- differently. Adding accounts is the next step (docs/operating.md).
create table account (
    id         text primary key,
    created_at timestamptz not null default now()
);
insert into account (id) values ('default');

-- One row per account, where there was one row per installation (id = 1).
alter table account_pin add column account text not null default 'default' references account (id);
alter table account_pin drop constraint account_pin_pkey, drop column id;
alter table account_pin add primary key (account);

alter table push_state add column account text not null default 'default' references account (id);
alter table push_state drop constraint push_state_pkey, drop column id;
alter table push_state add primary key (account);

alter table check_in_cursor add column account text not null default 'default' references account (id);
alter table check_in_cursor drop constraint check_in_cursor_pkey, drop column id;
alter table check_in_cursor add primary key (account);

-- The connection's id was already 'default': it names the account now.
alter table oauth_connection rename column id to account;
alter table oauth_connection add foreign key (account) references account (id);
alter table oauth_pending add column account text not null default 'default' references account (id);

-- Keyed by account and member, where they were keyed by member alone.
alter table person_link add column account text not null default 'default' references account (id);
alter table person_link drop constraint person_link_pkey;
alter table person_link add primary key (account, member_id);
create index person_link_member_idx on person_link (member_id); -- reads by member alone stay index reads

alter table quarantine add column account text not null default 'default' references account (id);
alter table quarantine drop constraint quarantine_pkey;
alter table quarantine add primary key (account, member_id);
create index quarantine_member_idx on quarantine (member_id);

alter table stamp_in_flight add column account text not null default 'default' references account (id);
alter table stamp_in_flight drop constraint creation_in_flight_pkey;
alter table stamp_in_flight add primary key (account, member_id);

alter table adoption_approval add column account text not null default 'default' references account (id);
alter table adoption_approval drop constraint adoption_approval_pkey;
alter table adoption_approval add primary key (account, member_id);

-- Rows of one account among others'.
alter table sync_run add column account text not null default 'default' references account (id);
create index sync_run_account_idx on sync_run (account, started_at desc);
alter table change_journal add column account text not null default 'default' references account (id);
alter table check_in add column account text not null default 'default' references account (id);
