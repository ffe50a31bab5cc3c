-- The other form of the CRM contract: a CRM that keeps every tenant in shared relations with an account column
-- (as many multi-tenant CRMs do) gives each doorsync account its own schema of views over them. The contract
-- stays one schema per account (doorsync.accounts.<id>.crm-schema); these views are that schema. Run once per
-- account, with ${shared_schema} the schema of the shared relations, ${crm_schema} the account's schema and
-- ${account} the value of the account column for that account. Shared relations laid out as below are assumed;
-- map other names or columns in the select lists. Columns mapped with doorsync.mapping.* go in the members view.
--
--   ${shared_schema}.members            (account, id, email, first_name, last_name, phone, department, job_title,
--                                        status, valid_from, valid_to, updated_at)
--   ${shared_schema}.teams              (account, id, name, doorflow_group_id, updated_at)
--   ${shared_schema}.team_members       (account, team_id, member_id)
--   ${shared_schema}.member_credentials (account, member_id, credential_type, value, updated_at)
--   ${shared_schema}.member_photos      (account, member_id, image, image_url, updated_at)   -- optional
--
-- The wake-up triggers (crm/wake-ups/notify-trigger.sql) go on tables, not views: for shared relations use
-- crm/shared-relations/wake-ups.sql instead, once, on the shared schema.
create schema if not exists ${crm_schema};

create or replace view ${crm_schema}.members as
    select id, email, first_name, last_name, phone, department, job_title, status, valid_from, valid_to, updated_at
    from ${shared_schema}.members where account = '${account}';

create or replace view ${crm_schema}.teams as
    select id, name, doorflow_group_id, updated_at from ${shared_schema}.teams where account = '${account}';

create or replace view ${crm_schema}.team_members as
    select team_id, member_id from ${shared_schema}.team_members where account = '${account}';

create or replace view ${crm_schema}.member_credentials as
    select member_id, credential_type, value, updated_at from ${shared_schema}.member_credentials
    where account = '${account}';

-- Photos are optional, as in the contract: a view only where the shared relation is there.
do $$
begin
    if to_regclass('${shared_schema}.member_photos') is not null then
        execute 'create or replace view ${crm_schema}.member_photos as select member_id, image, image_url,'
            || ' updated_at from ${shared_schema}.member_photos where account = ' || quote_literal('${account}');
    end if;
end
$$;
