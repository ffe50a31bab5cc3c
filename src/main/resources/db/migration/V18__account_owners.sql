-- db-scheduler's table (its PostgreSQL DDL for 16.x): which replica holds each account now. One execution per
-- account besides the installation's own ('account', <account id>); the replica that picked it runs that account
-- until it offers it back, and db-scheduler's heartbeats give it to another replica when the holder dies.
create table scheduled_tasks (
    task_name            text                     not null,
    task_instance        text                     not null,
    task_data            bytea,
    execution_time       timestamp with time zone not null,
    picked               boolean                  not null,
    picked_by            text,
    last_success         timestamp with time zone,
    last_failure         timestamp with time zone,
    consecutive_failures int,
    last_heartbeat       timestamp with time zone,
    version              bigint                   not null,
    priority             smallint,
    primary key (task_name, task_instance)
);
create index scheduled_tasks_execution_time_idx on scheduled_tasks (execution_time);
create index scheduled_tasks_last_heartbeat_idx on scheduled_tasks (last_heartbeat);
create index scheduled_tasks_priority_execution_time_idx on scheduled_tasks (priority desc, execution_time asc);

-- The replicas alive now, each seen every doorsync.sync.owners.heartbeat: how many share the accounts, so that a
-- replica takes its share and offers the rest back (db-scheduler itself knows only what is held, not who could
-- hold it). Which replica holds which account stays db-scheduler's.
create table replica (
    name    text primary key,
    seen_at timestamptz not null
);
