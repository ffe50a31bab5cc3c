-- The CRM contract doorsync reads (schema name is the placeholder ${crm_schema}, default "crm").
-- These may be tables, as here, or views over whatever the CRM really has; doorsync only ever SELECTs.
create schema if not exists ${crm_schema};

create table ${crm_schema}.members (
    id          text primary key,
    email       text,
    first_name  text,
    last_name   text,
    phone       text,
    department  text,
    job_title   text,
    status      text        not null default 'active',  -- active | suspended | cancelled
    valid_from  timestamptz,                             -- null = open
    valid_to    timestamptz,                             -- null = open
    updated_at  timestamptz not null default now()
);

create table ${crm_schema}.teams (
    id                text primary key,
    name              text        not null,
    doorflow_group_id bigint,                            -- null = team opens no doors
    updated_at        timestamptz not null default now()
);

create table ${crm_schema}.team_members (
    team_id   text not null,
    member_id text not null,
    primary key (team_id, member_id)
);
